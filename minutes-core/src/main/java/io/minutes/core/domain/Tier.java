package io.minutes.core.domain;

import java.util.Locale;

/**
 * How carefully a meeting must be handled. {@code sensitive} meetings are meant to go only to
 * providers allowed to see them; that routing is issue 9's, the tier is stored per meeting now.
 */
public enum Tier {
    ORDINARY, SENSITIVE;

    public String wireName() {
        return name().toLowerCase(Locale.ROOT);
    }

    public static Tier fromWire(String name) {
        return valueOf(name.toUpperCase(Locale.ROOT));
    }
}
