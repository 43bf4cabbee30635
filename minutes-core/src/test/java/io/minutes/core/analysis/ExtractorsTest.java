package io.minutes.core.analysis;

import io.minutes.core.domain.ActionItem;
import io.minutes.core.domain.Finding;
import io.minutes.core.domain.Segment;
import io.minutes.core.domain.Transcript;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.tuple;

class ExtractorsTest {

    private static Transcript meeting(String... speakerThenText) {
        List<Segment> segments = new ArrayList<>();
        for (int i = 0; i < speakerThenText.length; i += 2) segments.add(Segment.of(speakerThenText[i], speakerThenText[i + 1]));
        return new Transcript("test", segments);
    }

    private static List<ActionItem> actions(Transcript t) {
        return ActionItemExtractor.extract(SentenceSplitter.split(t), Participants.addressableNames(t));
    }

    private static List<String> decisions(Transcript t) {
        return DecisionExtractor.extract(SentenceSplitter.split(t)).stream().map(Finding::text).toList();
    }

    @Test
    void selfCommitmentIsOwnedByTheSpeakerWithItsDeadline() {
        List<ActionItem> items = actions(meeting("Alice", "Okay, I'll send the revised budget spreadsheet to finance by Friday."));
        assertThat(items).extracting(ActionItem::description, ActionItem::owner, ActionItem::due)
                .containsExactly(tuple("Send the revised budget spreadsheet to finance", "Alice", "Friday"));
    }

    @Test
    void namedCommitmentIsOwnedByTheNamedParticipant() {
        List<ActionItem> items = actions(meeting(
                "Alice", "Bob is going to update the deployment documentation next week.",
                "Bob", "Sure."));
        assertThat(items).singleElement().satisfies(i -> {
            assertThat(i.owner()).isEqualTo("Bob");
            assertThat(i.due()).isEqualTo("next week");
            assertThat(i.description()).isEqualTo("Update the deployment documentation");
        });
    }

    @Test
    void addressedRequestIsOwnedByTheAddressee() {
        List<ActionItem> items = actions(meeting(
                "Alice", "Carol, can you review the migration script before the next meeting?",
                "Carol", "Will do."));
        assertThat(items).singleElement().satisfies(i -> {
            assertThat(i.owner()).isEqualTo("Carol");
            assertThat(i.due()).isEqualTo("next meeting");
            assertThat(i.description()).startsWith("Review the migration script");
        });
    }

    @Test
    void explicitActionItemAndTeamDeadlineHaveNoOwner() {
        List<ActionItem> items = actions(meeting(
                "Alice", "Action item: renew the staging certificates.",
                "Bob", "And we need to freeze the release branch by end of month."));
        assertThat(items).extracting(ActionItem::description, ActionItem::owner, ActionItem::due).containsExactly(
                org.assertj.core.groups.Tuple.tuple("Renew the staging certificates", null, null),
                org.assertj.core.groups.Tuple.tuple("Freeze the release branch", null, "end of month"));
    }

    @Test
    void noActionItemsFromBackchannelHypotheticalsOrMeetingTalk() {
        List<ActionItem> items = actions(meeting(
                "Alice", "Yeah. Okay. Right.",
                "Bob", "Um, I'll say something about that.",
                "Carol", "If we will migrate the database, I'll rewrite the loader.",
                "Dan", "Let's suppose we announce it. Then I'll notify every mining pool operator personally.",
                "Erin", "I'll do it.",
                "Frank", "Will you send the slides to everyone?"));
        assertThat(items).isEmpty();
    }

    @Test
    void decisionPhrasesAreFoundAndNegationsAreNot() {
        List<String> found = decisions(meeting(
                "Alice", "After some back and forth we decided to ship the new parser in version two.",
                "Bob", "Let's go with the silver plastic casing for the prototype.",
                "Carol", "We haven't decided on the colour scheme yet.",
                "Dan", "If we decide to drop the screen, the cost goes down.",
                "Erin", "Did we agree on the launch date?"));
        assertThat(found).containsExactly(
                "After some back and forth we decided to ship the new parser in version two.",
                "Let's go with the silver plastic casing for the prototype.");
    }

    @Test
    void aDecisionThatPointsBackKeepsWhatWasDecided() {
        List<String> found = decisions(meeting(
                "James", "So the wrapped transaction format goes into the spec for the next testnet. We can count that as a decision."));
        assertThat(found).singleElement().asString().contains("wrapped transaction format");
    }

    @Test
    void openQuestionsSkipBackchannelAndKeepMarkers() {
        List<Sentence> sentences = SentenceSplitter.split(meeting(
                "Alice", "The database migration is big, right?",
                "Bob", "Can you hear me?",
                "Carol", "It is still an open question whether the database migration needs downtime.",
                "Dan", "How do we roll back the database migration if the new schema breaks reporting?"));
        List<String> questions = OpenQuestionExtractor.extract(sentences, TermWeights.of(sentences)).stream().map(Finding::text).toList();
        assertThat(questions).containsExactly(
                "It is still an open question whether the database migration needs downtime.",
                "How do we roll back the database migration if the new schema breaks reporting?");
    }

    @Test
    void dueDatePhrases() {
        assertThat(DueDates.find("send it by end of the month please")).map(DueDates.Due::due).contains("end of the month");
        assertThat(DueDates.find("ship it tomorrow")).map(DueDates.Due::due).contains("tomorrow");
        assertThat(DueDates.find("done before March 3rd")).map(DueDates.Due::due).contains("March 3rd");
        assertThat(DueDates.find("due 2024-05-01")).map(DueDates.Due::due).contains("2024-05-01");
        assertThat(DueDates.find("we talked about it for a while")).isEmpty();
    }

    @Test
    void cleaningRemovesAsrNoiseAndRejoinsPunctuation() {
        assertThat(TextCleaner.clean("Um I 've got the the {vocalsound} remote , you know , <laugh> working @ @ ."))
                .isEqualTo("I've got the remote, working.");
        assertThat(TextCleaner.clean("Mm - hmm . Uh , we do n't know yet ."))
                .isEqualTo("we don't know yet.");
    }

    @Test
    void topicsPreferRepeatedPhrases() {
        List<Sentence> sentences = SentenceSplitter.split(meeting(
                "A", "The remote control needs a new battery cover.",
                "B", "A remote control with voice recognition would be expensive.",
                "C", "Voice recognition is cool but the remote control budget is tight.",
                "D", "The budget for voice recognition is twelve euros."));
        assertThat(TopicExtractor.extract(sentences)).startsWith("remote control", "voice recognition");
    }
}
