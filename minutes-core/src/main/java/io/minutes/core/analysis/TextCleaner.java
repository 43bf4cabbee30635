package io.minutes.core.analysis;

import java.util.regex.Pattern;

/**
 * Makes ASR-style transcript text readable: drops noise tags ({vocalsound}, &lt;laugh&gt;, [Music], @ @),
 * fillers (um, uh, you know, I mean), stutters ("the the"), and re-attaches tokenised punctuation
 * ("I 've" -> "I've", "word ." -> "word."). Stateless and thread-safe.
 */
final class TextCleaner {

    private static final Pattern NOISE_TAGS = Pattern.compile("\\{[^}]{0,40}}|<[^>]{0,40}>|\\[[^\\]]{0,40}]|(?<!\\S)@(\\s*@)*(?!\\S)");
    private static final Pattern SPLIT_CONTRACTION = Pattern.compile("(?i)(\\w) (n't|'s|'ve|'re|'ll|'d|'m)\\b");
    private static final Pattern SPACE_BEFORE_PUNCT = Pattern.compile("\\s+([.,?!;:%])");
    private static final Pattern HYPHENATED_FILLER = Pattern.compile("(?i)\\b(mm|uh|um|hm)\\s*-\\s*(hmm|huh|hm|mm)\\b");
    private static final Pattern FILLERS = Pattern.compile(
            "(?i)(^|[\\s,])(?:u+m+|u+h+|e+r+m+|e+h+|a+h+|h+m+|m+h?m+|o+h+|huh)(?=[\\s,.?!]|$)[,]?");
    private static final Pattern DISCOURSE_FILLERS = Pattern.compile("(?i)(^|,\\s*|\\s)(?:you know|I mean|sort of|kind of)(?:,|(?=[.?!]))");
    /** A lone lower-case letter other than "a" or "i" is a word cut off mid-way ("to r just"). */
    private static final Pattern LONE_LETTER = Pattern.compile("(?<=\\s)[b-hj-z](?=[\\s,])");
    private static final Pattern STUTTER = Pattern.compile("(?i)\\b(\\w+(?:'\\w+)?)(?:[\\s,]+\\1\\b)+");
    private static final Pattern DOUBLE_PUNCT = Pattern.compile("([,;:])\\s*(?=[,.?!;:])");
    private static final Pattern LEADING_PUNCT = Pattern.compile("^[\\s,.;:!?-]+");
    private static final Pattern SPACES = Pattern.compile("\\s+");

    private TextCleaner() {
    }

    static String clean(String raw) {
        if (raw == null || raw.isBlank()) return "";
        String s = raw.replace('\u00a0', ' ').replace('\u2019', '\'');
        s = NOISE_TAGS.matcher(s).replaceAll(" ");
        s = SPLIT_CONTRACTION.matcher(s).replaceAll("$1$2");
        s = SPACE_BEFORE_PUNCT.matcher(s).replaceAll("$1");
        s = HYPHENATED_FILLER.matcher(s).replaceAll(" ");
        s = FILLERS.matcher(s).replaceAll("$1");
        s = DISCOURSE_FILLERS.matcher(s).replaceAll("$1");
        s = LONE_LETTER.matcher(s).replaceAll("");
        s = STUTTER.matcher(s).replaceAll("$1");
        s = SPACES.matcher(s).replaceAll(" ");
        s = SPACE_BEFORE_PUNCT.matcher(s).replaceAll("$1");
        s = DOUBLE_PUNCT.matcher(s).replaceAll("");
        s = LEADING_PUNCT.matcher(s).replaceFirst("");
        return s.strip();
    }

    /** Tidies a sentence cut out of already cleaned text. */
    static String trimPiece(String piece) {
        return LEADING_PUNCT.matcher(piece).replaceFirst("").strip();
    }

    /** Upper-cases the first letter, so a sentence cut out of a turn reads as one. */
    static String capitalize(String s) {
        if (s.isEmpty() || !Character.isLowerCase(s.charAt(0))) return s;
        return Character.toUpperCase(s.charAt(0)) + s.substring(1);
    }
}
