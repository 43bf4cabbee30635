package io.minutes.core.lane;

import java.util.Locale;

/**
 * The way a meeting's minutes are asked for: {@code realtime} (the provider's API at list price), {@code flex}
 * (OpenAI's {@code service_tier: "flex"}: the same call, slower and sometimes refused for capacity, at about half
 * the price) or {@code batch} (the provider's batch API: answered within its window, at about half the price).
 */
public enum Lane {
    REALTIME, FLEX, BATCH;

    public String wireName() {
        return name().toLowerCase(Locale.ROOT);
    }

    public static Lane fromWire(String name) {
        try {
            return valueOf(name.strip().toUpperCase(Locale.ROOT));
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException("lane must be realtime, flex or batch, got '" + name + "'");
        }
    }
}
