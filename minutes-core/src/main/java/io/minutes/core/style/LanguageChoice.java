package io.minutes.core.style;

import java.util.Locale;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * The language the minutes are to be written in: {@link #AUTO} (the meeting's majority language, see
 * {@link LanguageDetector}) or a BCP 47 code that forces it ("de", "pt-BR").
 */
public record LanguageChoice(String code) {
    public static final LanguageChoice AUTO = new LanguageChoice(null);

    /** language[-Script][-REGION][-variant...] of BCP 47; private-use and extensions are not minutes languages. */
    private static final Pattern TAG = Pattern.compile("[A-Za-z]{2,3}(-[A-Za-z]{4})?(-[A-Za-z]{2}|-[0-9]{3})?(-[A-Za-z0-9]{5,8})*");
    private static final Set<String> ISO_639_1 = Set.of(Locale.getISOLanguages());

    public boolean isAuto() {
        return code == null;
    }

    /**
     * {@code auto} or a BCP 47 code, normalised ("pt-br" -> "pt-BR"); a malformed one is an
     * {@link IllegalArgumentException} naming {@code setting} (null: the caller names it).
     */
    public static LanguageChoice parse(String value, String setting) {
        if (value == null || value.isBlank() || value.strip().equalsIgnoreCase("auto")) return AUTO;
        String v = value.strip().replace('_', '-');
        String primary = v.split("-")[0].toLowerCase(Locale.ROOT);
        if (!TAG.matcher(v).matches() || (primary.length() == 2 && !ISO_639_1.contains(primary))) {
            throw new IllegalArgumentException((setting == null ? "" : setting + ": ") + "'" + value + "' is not a language; use auto or a BCP 47 code"
                    + " such as en, de, fr, es, pt-BR");
        }
        return new LanguageChoice(Locale.forLanguageTag(v).toLanguageTag());
    }

    /** The language's English name for a prompt ("German", "Portuguese (Brazil)"). */
    public static String englishName(String code) {
        String name = Locale.forLanguageTag(code).getDisplayName(Locale.ENGLISH);
        return name.isBlank() ? code : name;
    }

    @Override
    public String toString() {
        return isAuto() ? "auto" : code;
    }
}
