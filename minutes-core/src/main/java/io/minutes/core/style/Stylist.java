package io.minutes.core.style;

import io.minutes.core.domain.Transcript;

import java.util.Objects;

/**
 * Decides each meeting's {@link Style} from what was asked ({@link MinutesStyle}: the node's settings, or a
 * batch's options over them): detects the meeting's language, and picks its template when asked for auto.
 */
public final class Stylist {
    private final Templates templates;
    private final MinutesStyle defaults;

    /** {@code defaults}: what the node's settings ask for; {@code templates}: the templates the node knows. */
    public Stylist(Templates templates, MinutesStyle defaults) {
        this.templates = Objects.requireNonNull(templates, "templates");
        this.defaults = Objects.requireNonNull(defaults, "defaults");
    }

    public static Stylist ofDefaults() {
        return new Stylist(Templates.builtIn(), MinutesStyle.AUTO);
    }

    public Templates templates() {
        return templates;
    }

    public MinutesStyle defaults() {
        return defaults;
    }

    /**
     * The style of one meeting; {@code asked} (null: the node's settings) overrides the settings where it is
     * not auto. A template name this node does not know is an {@link IllegalArgumentException} saying which.
     */
    public Style resolve(MinutesStyle asked, Transcript transcript) {
        MinutesStyle style = asked == null ? defaults : asked.over(defaults);
        String spoken = LanguageDetector.detect(transcript).orElse(null);
        String language = style.language().isAuto() ? spoken : style.language().code();
        if (style.templateIsAuto()) return new Style(language, spoken, TemplateClassifier.choose(transcript, templates), true);
        Template template = templates.find(style.template()).orElseThrow(() -> new IllegalArgumentException(
                "template '" + style.template() + "' is not known here; known: " + String.join(", ", templates.names())));
        return new Style(language, spoken, template, false);
    }

    /**
     * What minutes asked in {@code asked} (null: the node's settings) are, as deduplication and a re-run compare
     * batches: the language and template asked, with the version of a named template and of the team's own
     * templates (an auto choice may pick one). Minutes of another identity are not the minutes asked for.
     */
    public String identity(MinutesStyle asked) {
        MinutesStyle style = asked == null ? defaults : asked.over(defaults);
        String template = style.templateIsAuto() ? "auto" : templates.find(style.template()).map(Template::id).orElse(style.template());
        String own = String.join(",", templates.own().stream().map(Template::id).toList());
        return "language=" + style.language() + ";template=" + template + (own.isEmpty() ? "" : ";own=" + own);
    }

    /** That {@code name} is auto or a template this node knows; the message names {@code setting} (null: the caller does) when not. */
    public void check(String name, String setting) {
        if (name == null || name.isBlank() || name.equalsIgnoreCase("auto")) return;
        if (templates.find(name.strip()).isEmpty()) {
            throw new IllegalArgumentException((setting == null ? "" : setting + ": ") + "'" + name + "' is not a template; use auto or one of: "
                    + String.join(", ", templates.names()));
        }
    }
}
