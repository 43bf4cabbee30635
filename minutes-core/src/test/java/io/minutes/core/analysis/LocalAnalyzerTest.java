package io.minutes.core.analysis;

import io.minutes.core.domain.Analysis;
import io.minutes.core.domain.Participant;
import io.minutes.core.domain.Segment;
import io.minutes.core.domain.Transcript;
import io.minutes.core.domain.Usage;
import io.minutes.core.port.Analyzer;
import io.minutes.core.testing.TestRequests;
import io.minutes.core.eval.Rouge;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;

import static org.assertj.core.api.Assertions.assertThat;

class LocalAnalyzerTest {

    private final LocalAnalyzer analyzer = new LocalAnalyzer();

    private static Transcript longMeeting(int turns) {
        String[] lines = {
                "We need to choose the casing material for the remote control prototype.",
                "I think the rubber casing is nicer but the plastic casing is cheaper to produce.",
                "Yeah.",
                "The production cost has to stay under twelve euros per remote control.",
                "Um, so what about the voice recognition feature, is it affordable at all?",
                "Okay, I'll send the cost breakdown for the voice recognition chip by Friday.",
                "We decided to go with the plastic casing and basic buttons for the prototype.",
        };
        String[] speakers = {"Alice", "Bob", "Carol"};
        List<Segment> segments = new ArrayList<>();
        for (int i = 0; i < turns; i++) {
            segments.add(new Segment(speakers[i % 3], i * 10.0, i * 10.0 + 8, lines[i % lines.length] + " Turn " + i + "."));
        }
        return new Transcript("test", segments);
    }

    @Test
    void returnsTheTitleAllSectionsAndNoUsage() throws Exception {
        Analyzer.Result result = analyzer.analyze(TestRequests.request("m1", "Design kickoff", longMeeting(40)));
        Analysis a = result.analysis();
        assertThat(analyzer.name()).isEqualTo("local");
        assertThat(result.usage()).isEqualTo(Usage.NONE);
        assertThat(a.title()).isEqualTo("Design kickoff");
        assertThat(a.summary()).isNotBlank();
        assertThat(Rouge.tokens(a.summary()).size()).isLessThanOrEqualTo(Summarizer.MAX_WORDS + 10);
        assertThat(a.actionItems()).anySatisfy(i -> {
            assertThat(i.owner()).isIn("Alice", "Bob", "Carol");
            assertThat(i.due()).isEqualTo("Friday");
        });
        assertThat(a.decisions()).isNotEmpty();
        assertThat(a.topics()).hasSizeBetween(3, 8).contains("remote control");
    }

    @Test
    void participantsHaveWordsAndTalkTimeSortedByWords() {
        Transcript t = new Transcript("test", List.of(
                new Segment("Ann", 0.0, 5.0, "one two three"),
                new Segment("Ben", 5.0, 6.5, "one {vocalsound}"),
                new Segment("Ann", 6.5, 10.0, "four five"),
                new Segment("Cy", null, null, "seven words spoken by this quiet speaker")));
        assertThat(analyzer.analyze("t", t).participants()).containsExactly(
                new Participant("Cy", 7, null), new Participant("Ann", 5, 8.5), new Participant("Ben", 1, 1.5));
    }

    @Test
    void sameInputGivesIdenticalOutputAcrossThreads() throws Exception {
        Transcript t = longMeeting(300);
        Analysis first = analyzer.analyze("x", t);
        try (var pool = Executors.newVirtualThreadPerTaskExecutor()) {
            List<Future<Analysis>> runs = new ArrayList<>();
            for (int i = 0; i < 32; i++) runs.add(pool.submit(() -> analyzer.analyze("x", t)));
            for (Future<Analysis> run : runs) assertThat(run.get()).isEqualTo(first);
        }
    }

    @Test
    void emptyAndNoiseOnlyTranscriptsGiveEmptyMinutes() {
        Analysis empty = analyzer.analyze("e", new Transcript("test", List.of()));
        assertThat(empty.summary()).isEmpty();
        assertThat(empty.participants()).isEmpty();
        Analysis noise = analyzer.analyze("n", new Transcript("test", List.of(Segment.of("A", "{vocalsound} <laugh> @ @"))));
        assertThat(noise.summary()).isEmpty();
        assertThat(noise.actionItems()).isEmpty();
    }

    @Test
    void aHundredKilobyteTranscriptIsAnalysedWellUnderASecond() {
        Transcript big = longMeeting(1400);
        assertThat(big.characterCount()).isGreaterThan(100_000);
        analyzer.analyze("warm-up", big);
        long start = System.nanoTime();
        analyzer.analyze("big", big);
        long millis = (System.nanoTime() - start) / 1_000_000;
        assertThat(millis).as("generous upper bound").isLessThan(2000);
    }
}
