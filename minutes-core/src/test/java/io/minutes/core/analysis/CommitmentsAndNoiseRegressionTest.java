package io.minutes.core.analysis;

import io.minutes.core.domain.ActionItem;
import io.minutes.core.domain.Analysis;
import io.minutes.core.domain.Segment;
import io.minutes.core.domain.Transcript;
import io.minutes.core.testing.TestCorpus;
import io.minutes.core.ingest.IngestResult;
import io.minutes.core.ingest.Ingestor;
import org.junit.jupiter.api.Test;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

import static io.minutes.core.testing.Items.action;
import static io.minutes.core.testing.Items.texts;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.tuple;

/** Issue 18: what the built-in analyzer missed or got wrong on the samples and the corpus, each with the real sentence. */
class CommitmentsAndNoiseRegressionTest {

    private final LocalAnalyzer analyzer = new LocalAnalyzer();

    private static Transcript meeting(String... speakerThenText) {
        List<Segment> segments = new ArrayList<>();
        for (int i = 0; i < speakerThenText.length; i += 2) segments.add(Segment.of(speakerThenText[i], speakerThenText[i + 1]));
        return new Transcript("test", segments);
    }

    private static Transcript file(Path path) throws Exception {
        IngestResult r = new Ingestor(0).ingest(path.getFileName().toString(), Files.readAllBytes(path));
        return ((IngestResult.Ready) r).transcript();
    }

    private static Path sample(String name) {
        Path p = Path.of("..", "samples", name);
        return Files.exists(p) ? p : Path.of("samples", name);
    }

    @Test
    void bringingTheAmendedContractWasDroppedAsNotATask() throws Exception {
        Analysis a = analyzer.analyze("council", file(sample("council-budget-workshop.txt")));
        assertThat(a.actionItems()).anySatisfy(i -> {
            assertThat(i.description()).startsWith("Bring the amended contract");
            assertThat(i.owner()).isEqualTo("Finance Director Liu");
            assertThat(i.due()).startsWith("next regular meeting");
        });
    }

    @Test
    void askingCarolForAccessWasDroppedAsNotATask() {
        List<ActionItem> items = analyzer.analyze("t", meeting("Dev Patel", "I will ask Carol for access to the staging server by noon.")).actionItems();
        assertThat(items).containsExactly(action("Ask Carol for access to the staging server", "Dev Patel", "noon",
                0, "Dev Patel", "I will ask Carol for access to the staging server by noon."));
    }

    @Test
    void aShortTaskWithADeadlineWasDroppedAsUnderThreeWords() {
        List<ActionItem> items = analyzer.analyze("t", meeting("Marco Rossi", "The chairs are broken. I will order them by Wednesday.")).actionItems();
        assertThat(items).containsExactly(action("Order them", "Marco Rossi", "Wednesday", 0, "Marco Rossi", "I will order them by Wednesday."));
    }

    @Test
    void gettingUpThePrForFocilInTheNextDayOrTwoWasDropped() throws Exception {
        Transcript acdc = file(TestCorpus.file("vtt/ethereum-pm__acdc-175_2026-02-19__transcript.vtt"));
        Analysis a = analyzer.analyze("acdc", acdc);
        assertThat(a.actionItems()).anySatisfy(i -> {
            assertThat(i.description()).containsIgnoringCase("get up the PR for");
            assertThat(i.owner()).isEqualTo("stokes");
            assertThat(i.due()).isEqualTo("in the next day or two");
        });
        assertThat(a.actionItems()).noneSatisfy(i -> assertThat(i.description()).startsWith("Drop a link to the agenda"));
    }

    @Test
    void takingOnARequestMakesTheAnswererTheOwnerAndItIsNotAnOpenQuestion() throws Exception {
        Analysis a = analyzer.analyze("sync", file(sample("product-sync-2026-11-16.vtt")));
        assertThat(a.actionItems()).anySatisfy(i -> {
            assertThat(i.description()).startsWith("Ask legal about data retention for beta accounts");
            assertThat(i.owner()).isEqualTo("Priya Shah");
            assertThat(i.due()).isEqualTo("next Tuesday");
        });
        assertThat(a.openQuestions()).noneSatisfy(q -> assertThat(q.text()).contains("ask legal"));
        assertThat(texts(a.openQuestions())).doesNotContain("The invoice export is not finished and the tax rules for Germany are still unclear.");
    }

    @Test
    void theRoomsRequestIsOwnedByWhoeverTakesIt() {
        List<ActionItem> items = analyzer.analyze("t", meeting(
                "Ana Lima", "Can someone update the onboarding checklist before Friday?",
                "Tom Berg", "Sure, I'll take that.")).actionItems();
        assertThat(items).containsExactly(action("Update the onboarding checklist", "Tom Berg", "Friday",
                0, "Ana Lima", "Can someone update the onboarding checklist before Friday?"));
    }

    @Test
    void aSpeakerWhoseNameStartsWithATitleSharedByOthersStillOwnsWhatTheySaidTheyWillDo() throws Exception {
        Analysis a = analyzer.analyze("council", file(sample("council-budget-workshop.txt")));
        assertThat(a.actionItems()).anySatisfy(i -> {
            assertThat(i.description()).startsWith("Meet with the program director");
            assertThat(i.owner()).isEqualTo("Councilmember Brandt");
        });
    }

    @Test
    void ownersNamedByFirstNameBecomeTheParticipantAndAmbiguousOnesNobody() {
        List<ActionItem> items = analyzer.analyze("t", meeting(
                "Priya Shah", "Dev will send the signed contract to the customer by Friday.",
                "Dev Patel", "Okay.",
                "James Hancock", "Hi.", "James Prestwich", "Hello.",
                "Priya Shah", "James will review the release notes before the launch tomorrow.")).actionItems();
        assertThat(items).extracting(ActionItem::owner).containsExactly("Dev Patel", null);
    }

    @Test
    void gettingRidOfTheSlidePlaceholderIsNotAnAction() throws Exception {
        Path bed003 = Path.of("/work/shared/corpus/txt/ELITR-minuting__ICSI-Bed003__conv_by_topic.txt");
        Transcript t = Files.exists(bed003) ? file(bed003)
                : meeting("B", "Uh  I 'll also get rid of this \" Click to add notes \" . ");
        Analysis a = analyzer.analyze("bed003", t);
        assertThat(a.actionItems()).noneSatisfy(i -> assertThat(i.description()).containsIgnoringCase("get rid of this"));
        assertThat(a.summary()).doesNotContain("\" business person \"");
    }

    @Test
    void aRollCallIsNotAnOpenQuestion() throws Exception {
        Analysis a = analyzer.analyze("oakland", file(TestCorpus.file("vtt/cdp-backend__oakland_captions.vtt")));
        assertThat(a.openQuestions()).noneSatisfy(q -> assertThat(q.text()).containsIgnoringCase("is excused"));
    }

    @Test
    void topicsAreNotUrlsNumbersSaidAloudOrAdverbs() throws Exception {
        List<String> topics = new ArrayList<>();
        topics.addAll(analyzer.analyze("acd", CorpusFiles.ethereum(CorpusFiles.corpus()).transcript()).topics());
        topics.addAll(analyzer.analyze("chat", file(TestCorpus.file("txt/ethereum-pm__acdc-175_2026-02-19__chat.txt"))).topics());
        topics.addAll(analyzer.analyze("acdc", file(TestCorpus.file("vtt/ethereum-pm__acdc-175_2026-02-19__transcript.vtt"))).topics());
        assertThat(topics).noneSatisfy(t -> assertThat(t).containsAnyOf("https", "github", "twenty", "nine", "hopefully"));
    }

    @Test
    void summariesDropLinksReactionsAndShouting() throws Exception {
        Analysis chat = analyzer.analyze("chat", file(TestCorpus.file("txt/ethereum-pm__acdc-175_2026-02-19__chat.txt")));
        assertThat(chat.summary()).doesNotContain("http", "reagiert", "Reacted to");
        Analysis brief = analyzer.analyze("brief", file(TestCorpus.file("vtt/cdp-backend__brief_080221_2012161.vtt")));
        assertThat(brief.summary()).isNotEmpty();
        assertThat(brief.summary().chars().filter(Character::isLowerCase).count()).as("lower-case letters in " + brief.summary())
                .isGreaterThan(brief.summary().chars().filter(Character::isUpperCase).count());
    }

    @Test
    void spacedQuotationMarksAreRejoined() {
        assertThat(TextCleaner.clean("we 've limited to  \" business person \" , \" tourist \" , or  \" unknown \" ,"))
                .isEqualTo("we've limited to \"business person\", \"tourist\", or \"unknown\",");
    }

    @Test
    void theAnswerToWhatIsTheConclusionIsADecision() throws Exception {
        List<String> decisions = texts(analyzer.analyze("acd", CorpusFiles.ethereum(CorpusFiles.corpus()).transcript()).decisions());
        assertThat(decisions).anySatisfy(d -> assertThat(d).contains("2718 will include the wrap format"));
    }

    @Test
    void havingTimeOrLeavingSpaceIsNotATaskButHavingSomeoneTakeItOverIs() {
        List<ActionItem> items = analyzer.analyze("t", meeting(
                "Grad C", "I will have time to do some revision and some additional stuff on various airplanes and trains.",
                "Project Manager", "I'll leave space for everyone else.",
                "Hudson", "I will have James take over the release checklist.")).actionItems();
        assertThat(items).extracting(ActionItem::description).containsExactly("Have James take over the release checklist");
    }

    @Test
    void aCommitmentToSpecifyThatSaysWhatThatIsFromTheClaimPutToTheSpeaker() {
        // All Core Devs #100: the note taker wrote "Micah to update EIP 2972 to say that legacy transactions are no longer valid in blocks"
        List<ActionItem> items = analyzer.analyze("t", meeting(
                "Hudson", "then Micah, you said legacy transactions won't be valid blocks anymore, right?",
                "Micah", "That is my understanding from this discussion. I will update the EIP 2972 to specify that I believe right now it does not specify that explicitly.")).actionItems();
        assertThat(items).extracting(ActionItem::description, ActionItem::owner)
                .containsExactly(tuple("Update the EIP 2972 to specify that legacy transactions won't be valid blocks anymore", "Micah"));
        assertThat(items.getFirst().evidence().segment()).isEqualTo(1);
    }

    @Test
    void aCommitmentGoesOnInTheSentencesOfTheTurnThatContinueIt() {
        // All Core Devs #100: "James is going to update documentation regarding CFI and add a document that tracks things that are CFI"
        List<ActionItem> items = analyzer.analyze("t", meeting("James",
                "And something that I'd like to do is move so there there is a list of of the EFI meta EIP and I'd like to move that list into the specs repo. "
                + "And so that it's not just the project factor, but we have like an actual document that tracks the things that are CFI. "
                + "And then update the documentation around CFI to include this kind of stuff.",
                "Hudson", "Ok, any other comments from anybody?")).actionItems();
        assertThat(items).extracting(ActionItem::description).containsExactly("Move that list into the specs repo, so that it's not just the project"
                + " factor, but we have like an actual document that tracks the things that are CFI, then update the documentation around CFI to include"
                + " this kind of stuff");
    }

    @Test
    void aRequestPutToTheSpeakerIsNotAClaimThatCompletesTheirTask() {
        List<ActionItem> items = analyzer.analyze("t", meeting(
                "Ana Lima", "Dev, can you check the export?",
                "Dev Patel", "Yes. I will update the runbook to say that.")).actionItems();
        assertThat(items).extracting(ActionItem::description).containsExactly("Check the export", "Update the runbook to say that");
    }
}
