package io.minutes.core.analysis;

import java.util.Arrays;
import java.util.Locale;

/**
 * A quote a reader (and the evidence check) can find in the transcript: the cleaned sentence drops fillers, joins
 * split contractions and moves punctuation, so it is often not what was said word for word. The quote is the
 * longest run of the sentence's words found as it stands in the segment (ignoring case and whitespace), taken
 * from the segment itself; the cleaned sentence when no run of {@value #MIN_WORDS} words is.
 */
final class VerbatimQuote {

    static final int MIN_WORDS = 4;
    /** Long sentences are quoted from their first words: a quote is short, and the search stays cheap on huge segments. */
    private static final int MAX_WORDS = 40;

    private VerbatimQuote() {
    }

    static String of(String cleaned, String said) {
        if (said == null) return cleaned;
        String haystack = said.replaceAll("\\s+", " ").strip();
        String lower = haystack.toLowerCase(Locale.ROOT);
        // a few letters change length in lower case: then positions in lower are not positions in haystack
        if (lower.length() != haystack.length()) return cleaned;
        String[] words = cleaned.strip().split("\\s+");
        String whole = run(words, 0, words.length);
        if (lower.contains(whole)) return haystack.substring(lower.indexOf(whole), lower.indexOf(whole) + whole.length());
        words = Arrays.copyOf(words, Math.min(words.length, MAX_WORDS));
        int bestStart = -1;
        int bestEnd = -1;
        for (int start = 0; start + MIN_WORDS <= words.length && words.length - start > bestEnd - bestStart; start++) {
            int end = start + MIN_WORDS;
            if (!lower.contains(run(words, start, end))) continue;
            while (end < words.length && lower.contains(run(words, start, end + 1))) end++;
            if (end - start > bestEnd - bestStart) {
                bestStart = start;
                bestEnd = end;
            }
        }
        if (bestStart < 0) return cleaned;
        String run = run(words, bestStart, bestEnd);
        int at = lower.indexOf(run);
        return haystack.substring(at, at + run.length());
    }

    private static String run(String[] words, int start, int end) {
        return String.join(" ", Arrays.asList(words).subList(start, end)).toLowerCase(Locale.ROOT);
    }
}
