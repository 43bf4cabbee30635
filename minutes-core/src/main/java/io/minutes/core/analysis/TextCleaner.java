package io.minutes.core.analysis;

import io.minutes.core.text.RegexWork;
import java.util.regex.Pattern;

/**
 * Makes ASR-style transcript text readable: drops noise tags ({vocalsound}, &lt;laugh&gt;, [Music], @ @),
 * fillers (um, uh, you know, I mean), stutters ("the the"), and re-attaches tokenised punctuation
 * ("I 've" -> "I've", "word ." -> "word."). Stateless and thread-safe.
 */
final class TextCleaner {

    private static final Pattern NOISE_TAGS = Pattern.compile("\\{[^}]{0,40}}|<[^>]{0,40}>|\\[[^\\]]{0,40}]|(?<!\\S)@(?:\\s*+@)*+(?!\\S)");
    private static final Pattern SPLIT_CONTRACTION = Pattern.compile("(?i)(\\w) (n't|'s|'ve|'re|'ll|'d|'m)\\b");
    private static final Pattern SPACE_BEFORE_PUNCT = Pattern.compile("(?<!\\s)\\s++([.,?!;:%])");
    private static final Pattern HYPHENATED_FILLER = Pattern.compile("(?i)\\b(mm|uh|um|hm)\\s*-\\s*(hmm|huh|hm|mm)\\b");
    private static final Pattern FILLERS = Pattern.compile(
            "(?i)(^|[\\s,])(?:u+m+|u+h+|e+r+m+|e+h+|a+h+|h+m+|m+h?m+|o+h+|huh)(?=[\\s,.?!]|$)[,]?");
    private static final Pattern DISCOURSE_FILLERS = Pattern.compile("(?i)(^|,\\s*|\\s)(?:you know|I mean|sort of|kind of)(?:,|(?=[.?!]))");
    /** A lone lower-case letter other than "a" or "i" is a word cut off mid-way ("to r just"). */
    private static final Pattern LONE_LETTER = Pattern.compile("(?<=\\s)[b-hj-z](?=[\\s,])");
    private static final Pattern DOUBLE_PUNCT = Pattern.compile("([,;:])\\s*(?=[,.?!;:])");
    private static final Pattern LEADING_PUNCT = Pattern.compile("^[\\s,.;:!?-]+");
    private static final Pattern SPACES = Pattern.compile("\\s+");
    /** Links are for reading in the chat, not for minutes: "https://github.com/..." would become "https github". */
    private static final Pattern URL = Pattern.compile("(?i)\\b(?:https?://|www\\.)\\S++");
    /** A quotation typed with spaces inside its marks, as tokenised transcripts do: {@code " business person "}. */
    private static final Pattern SPACED_QUOTE = Pattern.compile("\"\\s+([^\"]*?)\\s+\"");
    /** Zoom chat reactions, in English and German: {@code Reacted to "..." with 👍}, {@code Hat auf "..." mit 👍 reagiert}. */
    private static final Pattern REACTION = Pattern.compile("^(?:Reacted to \".*\" with \\S+|Hat auf \".*\" mit \\S+ reagiert)\\s*$");

    private TextCleaner() {
    }

    static String clean(String raw) {
        if (raw == null || raw.isBlank()) return "";
        String s = raw.replace('\u00a0', ' ').replace('\u2019', '\'').strip();
        if (RegexWork.matcher(REACTION, s).matches()) return "";
        s = fromAllCaps(s);
        s = RegexWork.matcher(URL, s).replaceAll(" ");
        s = RegexWork.matcher(SPACED_QUOTE, s).replaceAll("\"$1\"");
        s = RegexWork.matcher(NOISE_TAGS, s).replaceAll(" ");
        s = RegexWork.matcher(SPLIT_CONTRACTION, s).replaceAll("$1$2");
        s = RegexWork.matcher(SPACE_BEFORE_PUNCT, s).replaceAll("$1");
        s = RegexWork.matcher(HYPHENATED_FILLER, s).replaceAll(" ");
        s = RegexWork.matcher(FILLERS, s).replaceAll("$1");
        s = RegexWork.matcher(DISCOURSE_FILLERS, s).replaceAll("$1");
        s = RegexWork.matcher(LONE_LETTER, s).replaceAll("");
        s = withoutStutters(s);
        s = RegexWork.matcher(SPACES, s).replaceAll(" ");
        s = RegexWork.matcher(SPACE_BEFORE_PUNCT, s).replaceAll("$1");
        s = RegexWork.matcher(DOUBLE_PUNCT, s).replaceAll("");
        s = RegexWork.matcher(LEADING_PUNCT, s).replaceFirst("");
        return s.strip();
    }

    /**
     * "the the, the plan" -> "the plan": a word (ASCII letters, digits, "_", optionally one "'s"-like suffix) repeated
     * right after itself, ignoring case, separated by spaces or commas. A loop, not a back-reference regex: that one
     * recursed once per repetition and overflowed the stack on a long cue of one repeated word.
     */
    static String withoutStutters(String s) {
        StringBuilder out = new StringBuilder(s.length());
        int i = 0;
        int n = s.length();
        while (i < n) {
            if (!isWordChar(s.charAt(i)) || (i > 0 && isWordChar(s.charAt(i - 1)))) {
                out.append(s.charAt(i++));
                continue;
            }
            int stem = i;
            while (stem < n && isWordChar(s.charAt(stem))) stem++;
            int word = stem;
            if (word + 1 < n && s.charAt(word) == '\'' && isWordChar(s.charAt(word + 1))) {
                word += 2;
                while (word < n && isWordChar(s.charAt(word))) word++;
            }
            int end = repeatsEnd(s, i, word);
            if (end == word && word != stem) {
                int stemEnd = repeatsEnd(s, i, stem);
                if (stemEnd != stem) {
                    word = stem;
                    end = stemEnd;
                }
            }
            if (end == word) {
                out.append(s, i, stem); // resume after the stem, as a regex search would
                i = stem;
            } else {
                out.append(s, i, word);
                i = end;
            }
        }
        return out.toString();
    }

    /** The end of the repetitions of {@code s[start, end)} that follow it, or {@code end} when none does. */
    private static int repeatsEnd(String s, int start, int end) {
        int length = end - start;
        int at = end;
        while (true) {
            int next = at;
            while (next < s.length() && isSeparator(s.charAt(next))) next++;
            if (next == at || !s.regionMatches(true, next, s, start, length)) return at;
            int after = next + length;
            if (after < s.length() && isWordChar(s.charAt(after))) return at;
            at = after;
        }
    }

    /** What the regex class {@code [\\s,]} held. */
    private static boolean isSeparator(char c) {
        return c == ' ' || c == ',' || c == '\t' || c == '\n' || c == '\u000B' || c == '\f' || c == '\r';
    }

    private static boolean isWordChar(char c) {
        return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == '_';
    }

    /**
     * Broadcast captions written in capitals ("THE COUNCIL WILL NOW VOTE") read as shouting in minutes and hide
     * names from the extractors: a text whose letters are nearly all capitals is put in sentence case ("I" stays).
     * A text of a few letters (an acronym, "OK") is left alone.
     */
    static String fromAllCaps(String s) {
        int letters = 0;
        int upper = 0;
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            if (Character.isLetter(c)) {
                letters++;
                if (Character.isUpperCase(c)) upper++;
            }
        }
        if (letters < 12 || upper < letters * 0.9) return s;
        String lower = s.toLowerCase(java.util.Locale.ROOT).replaceAll("\\bi\\b", "I").replaceAll("\\bi'", "I'");
        StringBuilder out = new StringBuilder(lower);
        boolean sentenceStart = true;
        for (int i = 0; i < out.length(); i++) {
            char c = out.charAt(i);
            if (sentenceStart && Character.isLetter(c)) {
                out.setCharAt(i, Character.toUpperCase(c));
                sentenceStart = false;
            } else if (c == '.' || c == '?' || c == '!') {
                sentenceStart = true;
            }
        }
        return out.toString();
    }

    /** Tidies a sentence cut out of already cleaned text. */
    static String trimPiece(String piece) {
        return RegexWork.matcher(LEADING_PUNCT, piece).replaceFirst("").strip();
    }

    /** Upper-cases the first letter, so a sentence cut out of a turn reads as one. */
    static String capitalize(String s) {
        if (s.isEmpty() || !Character.isLowerCase(s.charAt(0))) return s;
        return Character.toUpperCase(s.charAt(0)) + s.substring(1);
    }
}
