package io.minutes.core.trust;

import java.util.Locale;

/**
 * What happens to an item of the minutes whose evidence is not found in the transcript: {@code drop} it, or
 * {@code mark} it (kept with {@code supported=false}). Either way it is counted in the minutes' warnings.
 */
public enum UnsupportedItems {
    DROP, MARK;

    /** The default: a reader sees the item and its flag, and can check it, rather than lose a true item a model misquoted. */
    public static final UnsupportedItems DEFAULT = MARK;

    public String wireName() {
        return name().toLowerCase(Locale.ROOT);
    }

    /** @throws IllegalArgumentException naming the accepted values */
    public static UnsupportedItems parse(String value) {
        for (UnsupportedItems u : values()) if (u.wireName().equalsIgnoreCase(value == null ? "" : value.strip())) return u;
        throw new IllegalArgumentException("must be drop or mark, got '" + value + "'");
    }
}
