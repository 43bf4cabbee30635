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
        Segment open = null; // the turn being merged into; its text lives in "text" until closed
        StringBuilder text = new StringBuilder();
        for (Piece piece : pieces) {
            String cleaned = cleanText(piece.text());
            if (!HAS_WORD.matcher(cleaned).find()) continue;
            String speaker = piece.speaker() == null ? null : collapse(piece.speaker());
            if (speaker != null && speaker.isEmpty()) speaker = null;
            if (open != null && !piece.breakBefore() && Objects.equals(speaker, open.speaker())) {
                Double end = piece.end() != null ? piece.end() : open.endSeconds();
                open = new Segment(speaker, open.startSeconds(), end, "");
                text.append(' ').append(cleaned);
                continue;
            }
            if (open != null) out.add(new Segment(open.speaker(), open.startSeconds(), open.endSeconds(), text.toString()));
            open = new Segment(speaker, piece.start(), piece.end(), "");
            text.setLength(0);
            text.append(cleaned);
        }
        if (open != null) out.add(new Segment(open.speaker(), open.startSeconds(), open.endSeconds(), text.toString()));
        return out;
    }

    static String cleanText(String text) {
        return collapse(NOISE.matcher(text).replaceAll(" "));
    }

    private static String collapse(String s) {
        return WHITESPACE.matcher(s).replaceAll(" ").strip();
    }
}
