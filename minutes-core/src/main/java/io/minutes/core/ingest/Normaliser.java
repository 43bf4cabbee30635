package io.minutes.core.ingest;

import io.minutes.core.text.RegexWork;
import io.minutes.core.domain.Segment;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Pieces to segments: noise tags moved out of the text into the segment's annotations, whitespace collapsed, pieces
 * without words dropped (their annotations go to the turn around them), a speaker's consecutive pieces merged.
 */
final class Normaliser {

    // <laugh>, <breath-laugh>, [Music], [Laughter], QMSum {vocalsound}, and ICSI's "@" for unintelligible speech.
    private static final Pattern NOISE = Pattern.compile("<([A-Za-z][\\w-]*+)>|\\{([a-z_]{2,30})}|\\[([^\\[\\]]{1,30})]|(?<!\\S)@(?!\\S)");
    private static final Pattern WHITESPACE = Pattern.compile("[\\s\\u00A0\\u200B\\uFEFF]+");
    private static final Pattern HAS_WORD = Pattern.compile("[\\p{L}\\p{N}]");

    private Normaliser() {
    }

    /** A turn being merged: its text and annotations grow until the speaker changes. */
    private static final class Turn {
        final String speaker;
        final Double start;
        Double end;
        final StringBuilder text = new StringBuilder();
        final List<String> annotations = new ArrayList<>();

        Turn(String speaker, Double start, Double end) {
            this.speaker = speaker;
            this.start = start;
            this.end = end;
        }

        Segment toSegment() {
            return new Segment(speaker, start, end, text.toString(), annotations);
        }
    }

    static List<Segment> normalise(List<Piece> pieces) {
        List<Segment> out = new ArrayList<>();
        Turn open = null;
        List<String> pending = new ArrayList<>(); // annotations met before the first words
        for (Piece piece : pieces) {
            List<String> annotations = new ArrayList<>();
            String cleaned = cleanText(piece.text(), annotations);
            if (!RegexWork.matcher(HAS_WORD, cleaned).find()) {
                (open != null ? open.annotations : pending).addAll(annotations);
                continue;
            }
            String speaker = piece.speaker() == null ? null : collapse(piece.speaker());
            if (speaker != null && speaker.isEmpty()) speaker = null;
            if (open != null && !piece.breakBefore() && Objects.equals(speaker, open.speaker)) {
                if (piece.end() != null) open.end = piece.end();
                open.text.append(' ').append(cleaned);
                open.annotations.addAll(annotations);
                continue;
            }
            if (open != null) out.add(open.toSegment());
            open = new Turn(speaker, piece.start(), piece.end());
            open.text.append(cleaned);
            open.annotations.addAll(pending);
            pending.clear();
            open.annotations.addAll(annotations);
        }
        if (open != null) out.add(open.toSegment());
        return out;
    }

    /** The text without noise tags, which are added to {@code annotations}. */
    static String cleanText(String text, List<String> annotations) {
        Matcher m = RegexWork.matcher(NOISE, text);
        StringBuilder sb = new StringBuilder();
        while (m.find()) {
            String annotation = annotation(m);
            if (!annotation.isEmpty()) annotations.add(annotation);
            m.appendReplacement(sb, " ");
        }
        m.appendTail(sb);
        return collapse(sb.toString());
    }

    static String cleanText(String text) {
        return cleanText(text, new ArrayList<>());
    }

    private static String annotation(Matcher m) {
        for (int g = 1; g <= 3; g++) {
            if (m.group(g) != null) return collapse(m.group(g));
        }
        return "unintelligible";
    }

    private static String collapse(String s) {
        return RegexWork.matcher(WHITESPACE, s).replaceAll(" ").strip();
    }
}
