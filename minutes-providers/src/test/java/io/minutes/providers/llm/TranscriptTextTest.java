package io.minutes.providers.llm;

import io.minutes.core.domain.Segment;
import io.minutes.core.domain.Transcript;
import io.minutes.providers.cost.TokenCounter;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

class TranscriptTextTest {

    @Test
    void rendersTimestampsAndSpeakersWhereTheSourceHasThem() {
        Transcript t = new Transcript("srt", List.of(
                new Segment("Alice", 3725.4, 3730.0, " Hello\nall "),
                Segment.of(null, "No speaker, no time.")));
        assertThat(TranscriptText.render(t)).isEqualTo("#0 [01:02:05] Alice: Hello all\n#1 No speaker, no time.\n");
    }

    @Test
    void everyLineOfEveryPartCarriesItsSegmentsNumberInTheTranscriptSoEvidenceCanCiteIt() {
        List<Segment> turns = new ArrayList<>();
        for (int i = 0; i < 30; i++) turns.add(Segment.of("S", i == 7 ? " " : "turn number " + i + " says something useful"));
        turns.add(Segment.of("Dana", "word ".repeat(200).strip()));
        Transcript t = new Transcript("txt", turns);

        List<TranscriptText.Part> parts = TranscriptText.split(t, 80, 10, TokenCounter.APPROXIMATE);

        for (TranscriptText.Part p : parts) {
            for (String line : p.text().split("\n")) {
                int n = Integer.parseInt(line.substring(1, line.indexOf(' ')));
                String text = line.substring(line.indexOf(": ") + 2);
                assertThat(turns.get(n).text()).as(line).contains(text);
            }
        }
        assertThat(parts.getLast().numbers()).containsOnly(30);
        TranscriptText.Part outer = parts.get(1);
        Transcript partTranscript = new Transcript("txt", outer.turns());
        TranscriptText.Part inner = TranscriptText.split(partTranscript, 40, 5, TokenCounter.APPROXIMATE).getLast().within(outer);
        assertThat(inner.numbers().getLast()).isEqualTo(outer.numbers().getLast());
    }

    @Test
    void partsAreWholeTurnsWithinBudgetAndOverlap() {
        List<Segment> turns = new ArrayList<>();
        for (int i = 0; i < 50; i++) turns.add(new Segment("S" + (i % 3), i * 10.0, i * 10.0 + 9, "turn number " + i + " says something useful"));
        Transcript t = new Transcript("vtt", turns);

        List<TranscriptText.Part> parts = TranscriptText.split(t, 100, 20, TokenCounter.APPROXIMATE);

        assertThat(parts.size()).isGreaterThan(3);
        for (TranscriptText.Part p : parts) {
            long tokens = 0;
            for (int j = 0; j < p.turns().size(); j++) tokens += TokenCounter.APPROXIMATE.count(TranscriptText.line(p.numbers().get(j), p.turns().get(j))) + 1;
            assertThat(tokens).isLessThanOrEqualTo(100);
        }
        assertThat(parts.getFirst().overlapTurns()).isZero();
        for (int i = 1; i < parts.size(); i++) {
            TranscriptText.Part prev = parts.get(i - 1);
            TranscriptText.Part part = parts.get(i);
            assertThat(part.overlapTurns()).isPositive();
            assertThat(part.turns().subList(0, part.overlapTurns()))
                    .isEqualTo(prev.turns().subList(prev.turns().size() - part.overlapTurns(), prev.turns().size()));
        }
        assertThat(parts.getLast().turns().getLast()).isEqualTo(turns.getLast());
        assertThat(parts.get(1).span()).startsWith(" (00:");
    }

    @Test
    void aTurnLongerThanTheBudgetIsCutAtSpacesKeepingItsSpeaker() {
        String words = "word ".repeat(400).strip();
        Transcript t = new Transcript("txt", List.of(new Segment("Dana", 0.0, 120.0, words), Segment.of("Eve", "short")));

        List<TranscriptText.Part> parts = TranscriptText.split(t, 120, 10, TokenCounter.APPROXIMATE);

        assertThat(parts.size()).isGreaterThan(3);
        assertThat(parts).allSatisfy(p -> assertThat(p.text()).doesNotContain("wor\n"));
        long dana = parts.stream().flatMap(p -> p.turns().subList(p.overlapTurns(), p.turns().size()).stream())
                .filter(s -> "Dana".equals(s.speaker())).mapToLong(s -> s.text().split(" ").length).sum();
        assertThat(dana).as("every word once outside overlaps").isEqualTo(400);
    }
}
