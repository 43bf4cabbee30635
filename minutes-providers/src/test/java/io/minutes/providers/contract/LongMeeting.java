package io.minutes.providers.contract;

import io.minutes.core.domain.Segment;
import io.minutes.core.domain.Transcript;

import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.stream.Collectors;

import static org.assertj.core.api.Assertions.assertThat;

/** A meeting too long for a small context: 160 timed turns, one action item near the start, the middle and the end. */
final class LongMeeting {
    static final String START_MARKER = "I will book the venue for the launch by March 3";
    static final String MIDDLE_MARKER = "finance needs the budget numbers from me by Friday";
    static final String END_MARKER = "I will draft the press release";
    /**
     * Requests longer than this get a context-length error: a quarter of the transcript fits, half does not (with the
     * request's fixed part, the system prompt and the schema, which asks for evidence on every item).
     */
    static final int CONTEXT_WINDOW_CHARS = 12_000;
    private static final String[] SPEAKERS = {"Alice", "Bob", "Carol"};
    private static final String[] FILLER = {
            "We went through the checklist for the launch and most items are on track.",
            "The supplier confirmed the delivery window for the printed material last week.",
            "Customer feedback from the beta was mostly positive about the new onboarding.",
            "The support team asked for two more weeks to update the help articles.",
            "Marketing wants the landing page copy reviewed before the end of the month."};

    private LongMeeting() {
    }

    static Transcript transcript() {
        List<Segment> turns = new ArrayList<>();
        int n = 160;
        for (int i = 0; i < n; i++) {
            String speaker = SPEAKERS[i % SPEAKERS.length];
            String text = FILLER[i % FILLER.length] + " (item " + (i + 1) + ")";
            if (i == 3) text = "Alice here: " + START_MARKER + ".";
            if (i == n / 2) text = "Bob here: " + MIDDLE_MARKER + ", so I will send it.";
            if (i == n - 4) text = "Carol here: " + END_MARKER + " once the date is fixed.";
            turns.add(new Segment(speaker, i * 20.0, i * 20.0 + 18.0, text));
        }
        return new Transcript("vtt", turns);
    }

    /**
     * Every part holds whole turns with their segment numbers (which evidence cites) and timestamps; each part
     * repeats the end of the previous one.
     */
    static void assertPartsSplitAtTurnsWithOverlap(Transcript transcript, List<String> partPrompts) {
        List<Segment> segments = transcript.segments();
        Set<String> turns = java.util.stream.IntStream.range(0, segments.size()).mapToObj(n -> {
                    Segment s = segments.get(n);
                    return String.format("#%d [%02d:%02d:%02d] %s: %s", n, (long) (double) s.startSeconds() / 3600,
                            (long) (double) s.startSeconds() / 60 % 60, (long) (double) s.startSeconds() % 60, s.speaker(), s.text());
                })
                .collect(Collectors.toSet());
        List<List<String>> parts = partPrompts.stream()
                .map(p -> AnalyzerContract.lines(p.substring(p.indexOf("one turn a line:") + "one turn a line:".length())))
                .toList();
        List<String> covered = new ArrayList<>();
        for (int i = 0; i < parts.size(); i++) {
            assertThat(parts.get(i)).as("part %d is made of whole, timestamped turns", i + 1).isNotEmpty().allMatch(turns::contains);
            if (i > 0) {
                assertThat(parts.get(i)).as("part %d repeats the last turn of part %d", i + 1, i)
                        .contains(parts.get(i - 1).getLast());
                assertThat(parts.get(i).getLast()).as("part %d goes on past part %d", i + 1, i)
                        .isNotIn(parts.get(i - 1));
            }
            covered.addAll(parts.get(i));
        }
        assertThat(Set.copyOf(covered)).as("every turn is in some part").isEqualTo(turns);
    }
}
