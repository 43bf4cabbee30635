package io.minutes.core.domain;

import java.util.Locale;

/**
 * What a submission asks for when a meeting was seen before. Stored per batch; deduplication
 * itself is issue 9's.
 */
public enum OnDuplicate {
    SKIP, REPLACE, ALLOW_DUPLICATES;

    public String wireName() {
        return name().toLowerCase(Locale.ROOT);
    }

    public static OnDuplicate fromWire(String name) {
        return valueOf(name.toUpperCase(Locale.ROOT));
    }
}
