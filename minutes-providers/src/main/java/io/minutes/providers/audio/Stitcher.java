package io.minutes.providers.audio;

import io.minutes.core.domain.Segment;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;

/**
 * Puts the transcripts of the pieces of one recording back together: times moved from the piece's
 * start to the recording's, each piece keeping only the segments it owns (their middle lies at or
 * after its cut), words heard twice across a cut said once, and timestamps that never go backwards.
 */
public final class Stitcher {
    /**
     * Longest run of words looked for at a cut: the 2 s overlap holds about 6 spoken words; twice that
     * allows for segment edges that move, without eating a sentence that really was said twice.
     */
    static final int MAX_REPEATED_WORDS = 12;
    /** A single repeated word at a cut may well have been said twice; two or more are the overlap. */
    static final int MIN_REPEATED_WORDS = 2;

    /** What one piece heard, times relative to the piece's start (null times: the whole piece). */
    public record Heard(ChunkPlan.Piece piece, List<Segment> segments) {
    }

    private Stitcher() {
    }

    public static List<Segment> stitch(List<Heard> pieces) {
        List<Segment> out = new ArrayList<>();
        for (int p = 0; p < pieces.size(); p++) {
            ChunkPlan.Piece piece = pieces.get(p).piece();
            boolean firstOfPiece = true;
            for (Segment s : pieces.get(p).segments()) {
                if (s.hasTimes() && piece.start() + s.startSeconds() >= piece.end()) continue; // past the piece's audio
                Segment placed = place(s, piece);
                if (p > 0 && (placed.startSeconds() + placed.endSeconds()) / 2 < piece.ownedFrom()) continue;
                String text = placed.text().strip();
                if (firstOfPiece && p > 0 && !out.isEmpty()) {
                    text = dropRepeatedWords(out.getLast().text(), text);
                }
                firstOfPiece = false;
                if (text.isEmpty()) continue;
                double start = placed.startSeconds();
                double end = placed.endSeconds();
                if (!out.isEmpty()) start = Math.max(start, out.getLast().endSeconds());
                end = Math.max(end, start);
                out.add(new Segment(placed.speaker(), round(start), round(end), text));
            }
        }
        return out;
    }

    private static Segment place(Segment s, ChunkPlan.Piece piece) {
        if (!s.hasTimes()) return new Segment(s.speaker(), piece.ownedFrom(), piece.end(), s.text());
        double start = Math.min(piece.start() + Math.max(0, s.startSeconds()), piece.end());
        double end = Math.min(piece.start() + Math.max(s.startSeconds(), s.endSeconds()), piece.end());
        return new Segment(s.speaker(), start, end, s.text());
    }

    /** {@code next} without its leading words that repeat the end of {@code previous}. */
    static String dropRepeatedWords(String previous, String next) {
        String[] before = previous.strip().split("\\s+");
        String[] after = next.strip().split("\\s+");
        int most = Math.min(MAX_REPEATED_WORDS, Math.min(before.length, after.length));
        for (int k = most; k >= MIN_REPEATED_WORDS; k--) {
            boolean same = true;
            for (int i = 0; i < k && same; i++) {
                same = normal(before[before.length - k + i]).equals(normal(after[i]));
            }
            if (same) return String.join(" ", Arrays.copyOfRange(after, k, after.length));
        }
        return next.strip();
    }

    private static String normal(String word) {
        return word.toLowerCase(Locale.ROOT).replaceAll("[^\\p{L}\\p{N}]", "");
    }

    private static double round(double seconds) {
        return Math.round(seconds * 1000) / 1000.0;
    }
}
