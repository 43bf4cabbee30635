package io.minutes.core.domain;

import java.util.Locale;

/**
 * What happens to a meeting that duplicates one the tenant already has (same normalised content, or
 * same title in the same tier), in the same batch or an earlier one.
 * <ul>
 *   <li>{@code skip}: the meeting is stored {@code skipped}, points to the existing meeting and shows
 *       its result; no provider is called.</li>
 *   <li>{@code replace}: the meeting is processed again (the cached result is dropped) and its result
 *       replaces the old one, which is marked replaced (or skipped, when it had not run yet).</li>
 *   <li>{@code allow_duplicates}: no deduplication; the result cache still spares a second call.</li>
 * </ul>
 */
public enum OnDuplicate {
    SKIP, REPLACE, ALLOW_DUPLICATES;

    public String wireName() {
        return name().toLowerCase(Locale.ROOT);
    }

    public static OnDuplicate fromWire(String name) {
        try {
            return valueOf(name.strip().toUpperCase(Locale.ROOT));
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException("on_duplicate must be skip, replace or allow_duplicates, got '" + name + "'");
        }
    }
}
