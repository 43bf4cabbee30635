package io.minutes.core.domain;

import java.util.Locale;

/**
 * How carefully a meeting is handled (the CLI sets it per batch, the service per meeting). {@code sensitive} meetings go only to providers
 * configured with allow_sensitive (by default the local analyzer and the command transcriber).
 */
public enum Tier {
    ORDINARY, SENSITIVE;

    public String wireName() {
        return name().toLowerCase(Locale.ROOT);
    }

    public static Tier fromWire(String name) {
        try {
            return valueOf(name.strip().toUpperCase(Locale.ROOT));
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException("tier must be ordinary or sensitive, got '" + name + "'");
        }
    }
}
