package io.minutes.core.trust;

import io.minutes.core.domain.ActionItem;
import io.minutes.core.domain.Analysis;
import io.minutes.core.domain.Evidence;
import io.minutes.core.domain.Finding;
import io.minutes.core.domain.Participant;
import io.minutes.core.domain.Segment;
import io.minutes.core.domain.Transcript;
import org.junit.jupiter.api.Test;

import java.time.LocalDate;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class TrustChecksTest {
    private static final Transcript MEETING = new Transcript("vtt", List.of(
            new Segment("Dev Patel", 0.0, 4.0, "Um, so I'll update the   deployment docs by Friday."),
            new Segment("Priya Shah", 4.0, 9.0, "Yes, I'll take that. [laughs] The the legal question, I mean."),
            new Segment("Alex Kim", 9.0, 12.0, "We decided to ship in March."),
            new Segment("Alex Ruiz", 12.0, 15.0, "Fine by me.")));
    private static final List<Participant> PEOPLE = List.of(new Participant("Dev Patel", 9, 4.0),
            new Participant("Priya Shah", 10, 5.0), new Participant("Alex Kim", 6, 3.0), new Participant("Alex Ruiz", 3, 3.0),
            new Participant("Zoe Invented", 0, null));

    private static ActionItem item(String owner, String due, Evidence evidence) {
        return new ActionItem("task", owner, due, null, evidence, true);
    }

    private static Analysis minutes(List<ActionItem> items, List<Finding> decisions) {
        return new Analysis("t", "s", items, decisions, List.of(), List.of(), PEOPLE);
    }

    @Test
    void aQuoteIsFoundIgnoringCaseSpacesPunctuationFillersMarksAndStuttersInTheCitedSegmentOrANeighbour() {
        Analysis a = minutes(List.of(
                item(null, null, new Evidence(0, 0.0, "Dev Patel", "I'll update the deployment docs by Friday")),
                item(null, null, new Evidence(1, 4.0, "Priya Shah", "yes I'll take that; the legal question")),
                item(null, null, new Evidence(1, null, null, "I'll update the deployment docs"))), // the neighbour said it
                List.of(new Finding("Ship in March", new Evidence(3, null, null, "we DECIDED to ship in march!"), true)));

        Analysis checked = EvidenceCheck.apply(a, MEETING, UnsupportedItems.DROP);

        assertThat(checked.actionItems()).hasSize(3).allMatch(ActionItem::supported);
        assertThat(checked.decisions()).singleElement().matches(Finding::supported);
        assertThat(checked.unsupportedItems()).isZero();
        assertThat(checked.warnings()).isEmpty();
    }

    @Test
    void anItemWhoseQuoteWasNotSaidThereIsDroppedOrMarkedAndCounted() {
        Analysis a = minutes(List.of(
                item(null, null, new Evidence(0, 0.0, "Dev Patel", "I'll update the deployment docs")),
                item(null, null, new Evidence(3, null, null, "I'll update the deployment docs")), // two segments away
                item(null, null, new Evidence(9, null, null, "Fine by me")), // no such segment
                item(null, null, null)), // no evidence at all
                List.of(new Finding("Ship in May", new Evidence(2, null, null, "We decided to ship in May"), true)));

        Analysis dropped = EvidenceCheck.apply(a, MEETING, UnsupportedItems.DROP);
        Analysis marked = EvidenceCheck.apply(a, MEETING, UnsupportedItems.MARK);

        assertThat(dropped.actionItems()).hasSize(1);
        assertThat(dropped.decisions()).isEmpty();
        assertThat(dropped.unsupportedItems()).isEqualTo(4);
        assertThat(dropped.warnings()).containsExactly(
                "4 items' evidence was not found in the transcript; dropped (unsupported-items: drop)");
        assertThat(marked.actionItems()).extracting(ActionItem::supported).containsExactly(true, false, false, false);
        assertThat(marked.decisions()).extracting(Finding::supported).containsExactly(false);
        assertThat(marked.unsupportedItems()).isEqualTo(4);
    }

    @Test
    void ownersAreResolvedToParticipantsTheTranscriptContainsOrLeftUnassigned() {
        Analysis a = minutes(List.of(item("Dev", null, null), item("priya shah", null, null), item("D. Patel", null, null),
                item("Alex", null, null), item("Zoe Invented", null, null), item("Bob", null, null),
                item("Kim", null, null), item(null, null, null)), List.of());

        assertThat(Owners.resolve(a, MEETING).actionItems()).extracting(ActionItem::owner)
                .containsExactly("Dev Patel", "Priya Shah", "Dev Patel", null, null, null, "Alex Kim", null);
    }

    @Test
    void aParticipantOnlyNamedInTheTextCanOwnWhatTheyAgreedTo() {
        Transcript unlabelled = new Transcript("txt", List.of(Segment.of(null, "Carol Diaz will send the invoice.")));
        Analysis a = new Analysis("t", "s", List.of(item("Carol", null, null)), List.of(), List.of(), List.of(),
                List.of(new Participant("Carol Diaz", 0, null)));

        assertThat(Owners.resolve(a, unlabelled).actionItems()).extracting(ActionItem::owner).containsExactly("Carol Diaz");
    }

    @Test
    void dueWordsAreResolvedFromTheMeetingsDate() {
        LocalDate monday = LocalDate.of(2026, 11, 16);
        assertThat(DueDates.resolve("by Friday", monday)).contains(LocalDate.of(2026, 11, 20));
        assertThat(DueDates.resolve("next Tuesday", monday)).contains(LocalDate.of(2026, 11, 24));
        assertThat(DueDates.resolve("next Tuesday", LocalDate.of(2026, 11, 20))).contains(LocalDate.of(2026, 11, 24));
        assertThat(DueDates.resolve("tomorrow", monday)).contains(LocalDate.of(2026, 11, 17));
        assertThat(DueDates.resolve("end of the month", monday)).contains(LocalDate.of(2026, 11, 30));
        assertThat(DueDates.resolve("by 2027-01-05", monday)).contains(LocalDate.of(2027, 1, 5));
        assertThat(DueDates.resolve("January 5th", monday)).contains(LocalDate.of(2027, 1, 5));
        assertThat(DueDates.resolve("the 20th of November", monday)).contains(LocalDate.of(2026, 11, 20));
        assertThat(DueDates.resolve("in two weeks", monday)).contains(LocalDate.of(2026, 11, 30));
        assertThat(DueDates.resolve("soon", monday)).isEmpty();
        assertThat(DueDates.resolve("by Friday", null)).isEmpty();
    }

    @Test
    void theMeetingsDateComesFromItsFileNameOrZoomPrefix() {
        assertThat(MeetingDate.of("product-sync-2026-11-16.vtt", "product-sync")).contains(LocalDate.of(2026, 11, 16));
        assertThat(MeetingDate.of("GMT20240124-153012_Recording.vtt", null)).contains(LocalDate.of(2024, 1, 24));
        assertThat(MeetingDate.of("standup_2025_02_03.txt")).contains(LocalDate.of(2025, 2, 3));
        assertThat(MeetingDate.of("v2026-13-45.txt", "weekly")).isEmpty();
    }

    @Test
    void aGivenDateComesBeforeTheOneInTheName() {
        assertThat(MeetingDate.parse("2026-03-12")).contains(LocalDate.of(2026, 3, 12));
        assertThat(MeetingDate.parse(" 2026-03-12T09:00:00Z ")).contains(LocalDate.of(2026, 3, 12));
        assertThat(MeetingDate.parse("2026-03-12T09:00")).contains(LocalDate.of(2026, 3, 12));
        assertThat(MeetingDate.parse("2026-02-30")).isEmpty();
        assertThat(MeetingDate.parse("next Friday")).isEmpty();
        assertThat(MeetingDate.known(LocalDate.of(2026, 3, 12), "sync-2026-11-16.vtt", null)).isEqualTo(LocalDate.of(2026, 3, 12));
        assertThat(MeetingDate.known(null, "sync-2026-11-16.vtt", null)).isEqualTo(LocalDate.of(2026, 11, 16));
        assertThat(MeetingDate.known(null, "meeting-1.txt", "Weekly")).isNull();
    }

    @Test
    void theSettingNamesItsValues() {
        assertThat(UnsupportedItems.parse(" DROP ")).isEqualTo(UnsupportedItems.DROP);
        assertThatThrownBy(() -> UnsupportedItems.parse("hide")).hasMessage("must be drop or mark, got 'hide'");
    }
}
