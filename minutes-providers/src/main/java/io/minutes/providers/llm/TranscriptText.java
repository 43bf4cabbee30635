package io.minutes.providers.llm;

import io.minutes.core.domain.Segment;
import io.minutes.core.domain.Transcript;
import io.minutes.providers.cost.TokenCounter;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * A transcript as the model reads it: one turn a line, {@code #N [hh:mm:ss] Speaker: text} (N the segment's index
 * in the transcript, which the model cites as evidence; the timestamp and speaker only where the source has them),
 * and the same text cut into parts that fit a token budget, at turn boundaries, each part starting with the last
 * turns of the one before. A turn cut into pieces keeps its number in every piece.
 */
public final class TranscriptText {

    /**
     * One part of a transcript: the turns it holds, and for each its segment number in the transcript; the first
     * {@code overlapTurns} repeat the previous part's end.
     */
    public record Part(List<Segment> turns, int overlapTurns, List<Integer> numbers) {
        public Part {
            turns = List.copyOf(turns);
            numbers = List.copyOf(numbers);
            if (numbers.size() != turns.size()) throw new IllegalArgumentException("one number per turn");
        }

        public String text() {
            return render(turns, numbers);
        }

        /** This part of a part: its numbers, which count the turns of {@code outer}, become the transcript's. */
        Part within(Part outer) {
            return new Part(turns, overlapTurns, numbers.stream().map(outer.numbers()::get).toList());
        }

        public String span() {
            Double from = turns.getFirst().startSeconds();
            Double to = turns.getLast().endSeconds();
            return from == null || to == null ? "" : " (" + clock(from) + " to " + clock(to) + ")";
        }
    }

    private TranscriptText() {
    }

    public static String render(Transcript transcript) {
        List<Segment> turns = transcript.segments();
        return render(turns, java.util.stream.IntStream.range(0, turns.size()).boxed().toList());
    }

    static String render(List<Segment> turns, List<Integer> numbers) {
        StringBuilder sb = new StringBuilder();
        for (int i = 0; i < turns.size(); i++) sb.append(line(numbers.get(i), turns.get(i))).append('\n');
        return sb.toString();
    }

    static String line(int number, Segment s) {
        StringBuilder sb = new StringBuilder().append('#').append(number).append(' ');
        if (s.startSeconds() != null) sb.append('[').append(clock(s.startSeconds())).append("] ");
        if (s.speaker() != null && !s.speaker().isBlank()) sb.append(s.speaker().strip()).append(": ");
        return sb.append(s.text().strip().replace('\n', ' ')).toString();
    }

    static String clock(double seconds) {
        long t = (long) Math.floor(seconds);
        return String.format(Locale.ROOT, "%02d:%02d:%02d", t / 3600, t / 60 % 60, t % 60);
    }

    /**
     * Cuts the transcript into parts of at most {@code budget} tokens at turn boundaries; a turn longer
     * than the budget is cut at spaces into pieces that keep its speaker and times. Each part after the
     * first begins with the previous part's last turns, up to {@code overlap} tokens (at least one turn).
     */
    public static List<Part> split(Transcript transcript, long budget, long overlap, TokenCounter counter) {
        List<Segment> turns = new ArrayList<>();
        List<Integer> numbers = new ArrayList<>();
        List<Long> cost = new ArrayList<>();
        List<Segment> segments = transcript.segments();
        for (int n = 0; n < segments.size(); n++) {
            Segment s = segments.get(n);
            if (s.text().isBlank()) continue;
            for (Segment piece : pieces(n, s, budget, counter)) {
                turns.add(piece);
                numbers.add(n);
                cost.add(counter.count(line(n, piece)) + 1);
            }
        }
        List<Part> parts = new ArrayList<>();
        int start = 0;
        int overlapTurns = 0;
        while (start < turns.size()) {
            long used = 0;
            int end = start;
            while (end < turns.size() && (end == start || used + cost.get(end) <= budget)) used += cost.get(end++);
            if (end <= start + overlapTurns && end < turns.size()) end = start + overlapTurns + 1; // always move on
            parts.add(new Part(turns.subList(start, end), overlapTurns, numbers.subList(start, end)));
            if (end >= turns.size()) break;
            int next = end;
            long carried = 0;
            while (next - 1 > start + overlapTurns && carried + cost.get(next - 1) <= overlap) carried += cost.get(--next);
            if (next == end) next = end - 1; // at least one turn of overlap
            overlapTurns = end - next;
            start = next;
        }
        return parts;
    }

    private static List<Segment> pieces(int number, Segment s, long budget, TokenCounter counter) {
        long whole = counter.count(line(number, s)) + 1;
        if (whole <= budget) return List.of(s);
        long head = counter.count(line(number, new Segment(s.speaker(), s.startSeconds(), s.endSeconds(), ""))) + 1;
        List<Segment> out = new ArrayList<>();
        StringBuilder piece = new StringBuilder();
        long used = head;
        for (String w : s.text().strip().split("\\s+")) {
            long c = counter.count(" " + w);
            if (!piece.isEmpty() && used + c > budget) {
                out.add(new Segment(s.speaker(), s.startSeconds(), s.endSeconds(), piece.toString()));
                piece.setLength(0);
                used = head;
            }
            if (!piece.isEmpty()) piece.append(' ');
            piece.append(w);
            used += c;
        }
        if (!piece.isEmpty()) out.add(new Segment(s.speaker(), s.startSeconds(), s.endSeconds(), piece.toString()));
        return out;
    }
}
