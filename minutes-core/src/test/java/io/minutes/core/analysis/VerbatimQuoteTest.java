package io.minutes.core.analysis;

import io.minutes.core.domain.Evidence;
import io.minutes.core.domain.Segment;
import io.minutes.core.domain.Transcript;
import io.minutes.core.trust.EvidenceCheck;
import org.junit.jupiter.api.Test;

import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

/** The local analyzer's evidence quotes what was said, so the evidence check finds it where the item cites. */
class VerbatimQuoteTest {

    // QMSum Bed016 style: split contractions, spaced punctuation, fillers the cleaner takes out
    private static final String SAID = "Uh  I 'll send the minutes to everyone by Friday and uh then we can meet . ";

    @Test
    void aTidiedSentenceIsQuotedByItsLongestRunSaidWordForWord() {
        String quote = VerbatimQuote.of("I'll send the minutes to everyone by Friday and then we can meet.", SAID);
        assertThat(quote).isEqualTo("send the minutes to everyone by Friday and");
    }

    @Test
    void theLocalAnalyzersEvidenceQuotesTheTranscriptWordForWord() {
        Transcript t = new Transcript("t", List.of(Segment.of("Grad A", "So what do we do next ?"), Segment.of("Grad B", SAID)));
        Evidence evidence = new LocalAnalyzer().analyze("t", t).actionItems().getFirst().evidence();
        assertThat(evidence.segment()).isEqualTo(1);
        assertThat(SAID).contains(evidence.quote());
        assertThat(EvidenceCheck.found(t, evidence)).as(evidence.quote()).isTrue();
    }

    @Test
    void aSentenceWithNoRunSaidAsItIsKeepsItsCleanedWords() {
        assertThat(VerbatimQuote.of("We've done it.", "we 've done it .")).isEqualTo("We've done it.");
    }

    @Test
    void evalsCheckFindsAQuoteOnlyInTheCitedSegmentOrNextToIt() {
        Transcript t = new Transcript("t", List.of(Segment.of("A", "alpha beta gamma"), Segment.of("B", "delta"),
                Segment.of("C", "epsilon"), Segment.of("D", "zeta  ETA theta")));
        assertThat(EvidenceCheck.found(t, new Evidence(1, null, "B", "Alpha Beta"))).isTrue();
        assertThat(EvidenceCheck.found(t, new Evidence(3, null, "D", "zeta eta"))).isTrue();
        assertThat(EvidenceCheck.found(t, new Evidence(2, null, "C", "Alpha Beta"))).isFalse();
        assertThat(EvidenceCheck.found(t, new Evidence(0, null, "A", "alpha beta delta"))).isFalse();
    }
}
