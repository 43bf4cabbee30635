package io.minutes.core.ingest;

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

    // "Name: text", "Name (Org): text"; the organisation is dropped from the speaker.
    private static final Pattern PREFIX =
            Pattern.compile("^\\s*(\\p{L}[^:<>\\[\\]{}()\"]*?)\\s*(?:\\([^()]{1,40}\\))?\\s*:(?:\\s+(.*)|$)");

    record Labelled(String speaker, String text) {
    }

    private final Map<String, Integer> counts = new HashMap<>();
    private int linesSeen;
    private int linesWithCandidate;

    /** The label and the rest of the line when it has the shape of a speaker prefix, else null. */
    static Labelled candidate(String line) {
        Matcher m = PREFIX.matcher(line);
        if (!m.find()) return null;
        String name = m.group(1).strip();
        if (!plausibleName(name)) return null;
        return new Labelled(name, m.group(2) == null ? "" : m.group(2));
    }

    static boolean plausibleName(String name) {
        if (name.isEmpty() || name.length() > MAX_CHARS || !Character.isLetter(name.codePointAt(0))) return false;
        if (name.split("\\s+").length > MAX_WORDS) return false;
        String lower = name.toLowerCase(java.util.Locale.ROOT);
        return !lower.startsWith("http") && !lower.equals("https") && !lower.equals("www");
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
