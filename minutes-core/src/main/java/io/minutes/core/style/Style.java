package io.minutes.core.style;

import java.util.Objects;

/**
 * How one meeting's minutes are to be written, decided before it is analysed: in {@code language} (BCP 47;
 * null when the meeting's language is not known and none was forced: then in whatever language it was held),
 * shaped by {@code template}. {@code spokenLanguage}: the meeting's majority language as detected (null: not
 * known); {@code templateChosen}: the template was picked by {@link TemplateClassifier}, not asked for.
 */
public record Style(String language, String spokenLanguage, Template template, boolean templateChosen) {
    public Style {
        Objects.requireNonNull(template, "template");
    }

    /** What sets these minutes apart from others of the same transcript, for the result cache's key. */
    public String cacheKeyPart() {
        return "template=" + template.id() + ";language=" + (language == null ? "spoken" : language);
    }

    /** The minutes are asked in another language than the meeting was held in (as far as is known). */
    public boolean translates() {
        return language != null && spokenLanguage != null && !primary(language).equals(primary(spokenLanguage));
    }

    private static String primary(String tag) {
        return tag.split("-")[0];
    }
}
