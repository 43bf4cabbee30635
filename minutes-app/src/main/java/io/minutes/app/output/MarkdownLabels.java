package io.minutes.app.output;

import io.minutes.core.domain.MinutesWarning;

import java.text.MessageFormat;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.ResourceBundle;

/**
 * The words of the Markdown minutes around what the meeting said, in the minutes' language: every heading and label,
 * the evidence and coverage lines, the unsupported mark, and the warnings the checks and analyzers put on minutes
 * ({@link MinutesWarning}). English, German, French and Spanish, from {@code markdown*.properties} beside this class;
 * minutes in another language keep the English labels (and say so once).
 */
final class MarkdownLabels {
    static final List<String> LANGUAGES = List.of("en", "de", "fr", "es");
    private static final String BUNDLE = "io.minutes.app.output.markdown";

    private final String language;
    private final ResourceBundle words;

    private MarkdownLabels(String language) {
        this.language = language;
        this.words = ResourceBundle.getBundle(BUNDLE, Locale.forLanguageTag(language),
                ResourceBundle.Control.getNoFallbackControl(ResourceBundle.Control.FORMAT_PROPERTIES));
    }

    /** The labels for minutes in {@code language} (BCP 47; null: English). */
    static MarkdownLabels of(String language) {
        String primary = language == null ? "en" : language.split("-")[0].toLowerCase(Locale.ROOT);
        return new MarkdownLabels(LANGUAGES.contains(primary) ? primary : "en");
    }

    /** Minutes in {@code language} that these labels do not speak (English labels stand in for them). */
    boolean standInFor(String language) {
        return language != null && !language.split("-")[0].equalsIgnoreCase(this.language);
    }

    /** The text under {@code key}, with {@code values} in its places. */
    String text(String key, Object... values) {
        return new MessageFormat(words.getString(key), Locale.forLanguageTag(language)).format(values);
    }

    /** A warning of the minutes in these labels' language: one of {@link MinutesWarning}'s kinds, else as written. */
    String warning(String warning) {
        Optional<MinutesWarning.Read> read = MinutesWarning.read(warning);
        if (read.isEmpty()) return warning;
        List<String> v = read.get().values();
        return switch (read.get().kind()) {
            case UNSUPPORTED_DROPPED -> text("warning.unsupported_dropped", read.get().count());
            case UNSUPPORTED_MARKED -> text("warning.unsupported_marked", read.get().count());
            case CANNOT_TRANSLATE -> text("warning.cannot_translate", languageName(v.get(0)), languageName(v.get(1)));
            case TEMPLATE_SHAPE_ONLY -> text("warning.template_shape_only", v.get(0), v.get(1));
            case REPAIRED_ANSWER -> text("warning.repaired_answer");
        };
    }

    /** A language named in English ("German"), named in these labels' language ("Deutsch"); as given when unknown. */
    private String languageName(String english) {
        Locale in = Locale.forLanguageTag(language);
        return Arrays.stream(Locale.getAvailableLocales())
                .filter(l -> english.equals(l.getDisplayName(Locale.ENGLISH)))
                .findFirst()
                .map(l -> l.getDisplayName(in))
                .orElse(english);
    }
}
