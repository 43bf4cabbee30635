package io.minutes.core.domain;

import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The warnings the checks and the analyzers put on minutes ({@link Analysis#warnings()}), written in English where
 * they are made and read back here by their kind and values, so a reader of minutes in another language can be told
 * the same in theirs (the Markdown does). Each kind keeps its English text and the pattern that reads it in one
 * place; a warning of no kind here (a provider's own) is shown as it was written.
 */
public enum MinutesWarning {
    /** Items whose evidence was not found, dropped; value: how many. */
    UNSUPPORTED_DROPPED("(\\d+) items?'s? evidence was not found in the transcript; dropped \\(unsupported-items: drop\\)"),
    /** Items whose evidence was not found, kept marked; value: how many. */
    UNSUPPORTED_MARKED("(\\d+) items?'s? evidence was not found in the transcript; kept marked unsupported \\(unsupported-items: mark\\)"),
    /** The built-in analyzer writes in the meeting's language; values: that language and the one asked, by English name. */
    CANNOT_TRANSLATE("the built-in analyzer cannot translate: the minutes are in (.+), the language of the meeting, not in (.+) "
            + "as asked; use a provider for minutes in another language"),
    /** The built-in analyzer applied only the general shape of a template; values: its name and its sections. */
    TEMPLATE_SHAPE_ONLY("the built-in analyzer applied only the general shape of the (.+) template \\(summary, action items, "
            + "decisions, open questions\\), not its sections (.+)"),
    /** The provider's first answer was repaired by one more call; no values. */
    REPAIRED_ANSWER(Pattern.quote(Analysis.REPAIRED_ANSWER_WARNING));

    private final Pattern pattern;

    MinutesWarning(String regex) {
        this.pattern = Pattern.compile(regex);
    }

    /** A warning read back: its kind and the values it names, in order. */
    public record Read(MinutesWarning kind, List<String> values) {
        public Read {
            values = List.copyOf(values);
        }

        public int count() {
            return Integer.parseInt(values.getFirst());
        }
    }

    /** {@code n} items whose evidence was not found, dropped or kept marked. */
    public static String unsupported(int n, boolean dropped) {
        String what = n == 1 ? "1 item's evidence was" : n + " items' evidence was";
        return what + " not found in the transcript; "
                + (dropped ? "dropped (unsupported-items: drop)" : "kept marked unsupported (unsupported-items: mark)");
    }

    /** The built-in analyzer's minutes are in {@code spoken}, not {@code asked} (English names of languages). */
    public static String cannotTranslate(String spoken, String asked) {
        return "the built-in analyzer cannot translate: the minutes are in " + spoken + ", the language of the meeting, not in "
                + asked + " as asked; use a provider for minutes in another language";
    }

    /** The built-in analyzer applied only the general shape of {@code template}, not these sections. */
    public static String templateShapeOnly(String template, List<String> sections) {
        return "the built-in analyzer applied only the general shape of the " + template
                + " template (summary, action items, decisions, open questions), not its sections " + String.join(", ", sections);
    }

    /** The kind of {@code warning} and its values; empty for a warning of no kind here. */
    public static Optional<Read> read(String warning) {
        if (warning == null) return Optional.empty();
        for (MinutesWarning kind : values()) {
            Matcher m = kind.pattern.matcher(warning);
            if (m.matches()) {
                List<String> values = new ArrayList<>();
                for (int g = 1; g <= m.groupCount(); g++) values.add(m.group(g));
                return Optional.of(new Read(kind, values));
            }
        }
        return Optional.empty();
    }
}
