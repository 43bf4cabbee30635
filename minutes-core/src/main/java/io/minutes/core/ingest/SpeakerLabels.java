package io.minutes.core.ingest;

import io.minutes.core.text.RegexWork;
import java.util.HashMap;
import java.util.Map;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;

/**
 * Recognises {@code Name: text} speaker prefixes. A colon in prose ("Note: ...") is common, so a label only counts
 * when it is short (at most 4 words, 40 characters, starting with a letter) and either recurs or the lines with
 * such prefixes make up most of the input.
 */
final class SpeakerLabels {

    static final int MAX_WORDS = 4;
    static final int MAX_CHARS = 40;

    // "Name: text", "Name (Org): text"; the organisation is dropped from the speaker. The name is words separated by
    // whitespace, every quantifier possessive: a lazy name followed by optional whitespace backtracked cubically on a
    // line holding a long run of spaces.
    private static final String NAME_CHAR = "[^:<>\\[\\]{}()\"\\s]";
    private static final Pattern PREFIX = Pattern.compile("\\s*+(\\p{L}" + NAME_CHAR + "*+(?:\\s++" + NAME_CHAR + "++)*+)"
            + "\\s*+(?:\\([^()]{1,40}\\))?\\s*+:(?:\\s++(.*)|$)");

    record Labelled(String speaker, String text) {
    }

    private final Map<String, Integer> counts = new HashMap<>();
    private int linesSeen;
    private int linesWithCandidate;

    /** The label and the rest of the line when it has the shape of a speaker prefix, else null. */
    static Labelled candidate(String line) {
        Matcher m = RegexWork.matcher(PREFIX, line);
        if (!m.lookingAt()) return null;
        String name = m.group(1).strip();
        if (!plausibleName(name)) return null;
        return new Labelled(name, m.group(2) == null ? "" : m.group(2));
    }

    static boolean plausibleName(String name) {
        if (name.isEmpty() || name.length() > MAX_CHARS || !Character.isLetter(name.codePointAt(0))) return false;
        if (words(name) > MAX_WORDS) return false;
        String lower = name.toLowerCase(java.util.Locale.ROOT);
        return !lower.startsWith("http") && !lower.equals("https") && !lower.equals("www");
    }

    private static int words(String s) {
        int words = 0;
        boolean inWord = false;
        for (int i = 0; i < s.length(); i++) {
            boolean space = Character.isWhitespace(s.charAt(i));
            if (!space && !inWord) words++;
            inWord = !space;
        }
        return words;
    }

    /** Counts one line of the input, for {@link #accepted()}. */
    void observe(String line) {
        if (line.isBlank()) return;
        linesSeen++;
        Labelled c = candidate(line);
        if (c != null) {
            linesWithCandidate++;
            counts.merge(c.speaker(), 1, Integer::sum);
        }
    }

    /** The labels that count as speakers in this input. */
    Set<String> accepted() {
        boolean mostlyLabelled = linesWithCandidate * 2 >= linesSeen && linesWithCandidate > 0;
        return counts.entrySet().stream()
                .filter(e -> mostlyLabelled || e.getValue() >= 2)
                .map(Map.Entry::getKey)
                .collect(Collectors.toUnmodifiableSet());
    }
}
