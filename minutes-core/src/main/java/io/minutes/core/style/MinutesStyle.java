package io.minutes.core.style;

/**
 * How the minutes are asked to be written, before a meeting is looked at: the {@code language} (auto or a
 * code) and the {@code template} (a template's name, or null for auto: chosen per meeting by
 * {@link TemplateClassifier}). {@link Stylist#resolve} turns it into a meeting's {@link Style}.
 */
public record MinutesStyle(LanguageChoice language, String template) {
    public static final MinutesStyle AUTO = new MinutesStyle(LanguageChoice.AUTO, null);

    public MinutesStyle {
        language = language == null ? LanguageChoice.AUTO : language;
        template = template == null || template.isBlank() || template.strip().equalsIgnoreCase("auto") ? null : template.strip();
    }

    public boolean templateIsAuto() {
        return template == null;
    }

    /** This style with what {@code other} asks for where it asks (a batch's options over the node's settings). */
    public MinutesStyle over(MinutesStyle defaults) {
        return new MinutesStyle(language.isAuto() && defaults != null ? defaults.language : language,
                template == null && defaults != null ? defaults.template : template);
    }
}
