package io.minutes.core.ingest;

import io.minutes.core.domain.Segment;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.regex.Pattern;

/** Pieces to segments: noise tags out, whitespace collapsed, empty text dropped, a speaker's consecutive pieces merged. */
final class Normaliser {

    // <laugh>, <breath-laugh>, [Music], [Laughter], QMSum {vocalsound}, and ICSI's "@" for unintelligible speech.
    private static final Pattern NOISE = Pattern.compile("<[A-Za-z][\\w-]*>|\\{[a-z_]{2,30}}|\\[[^\\[\\]]{1,30}]|(?<!\\S)@(?!\\S)");
    private static final Pattern WHITESPACE = Pattern.compile("[\\s\\u00A0\\u200B\\uFEFF]+");
    private static final Pattern HAS_WORD = Pattern.compile("[\\p{L}\\p{N}]");

    private Normaliser() {
    }

    static List<Segment> normalise(List<Piece> pieces) {
        List<Segment> out = new ArrayList<>();
        Piece previous = null;
        for (Piece piece : pieces) {
            String text = cleanText(piece.text());
            if (!HAS_WORD.matcher(text).find()) continue;
            String speaker = piece.speaker() == null ? null : collapse(piece.speaker());
            if (speaker != null && speaker.isEmpty()) speaker = null;
            if (previous != null && !piece.breakBefore() && Objects.equals(speaker, out.getLast().speaker())) {
                Segment last = out.removeLast();
                Double end = piece.end() != null ? piece.end() : last.endSeconds();
                out.add(new Segment(speaker, last.startSeconds(), end, last.text() + " " + text));
            } else {
                out.add(new Segment(speaker, piece.start(), piece.end(), text));
            }
            previous = piece;
        }
        return out;
    }

    static String cleanText(String text) {
        return collapse(NOISE.matcher(text).replaceAll(" "));
    }

    private static String collapse(String s) {
        return WHITESPACE.matcher(s).replaceAll(" ").strip();
    }
}
