package io.minutes.core.domain;

import java.util.Locale;

/**
 * How a meeting reaches its provider: {@code realtime} (one call, answered now, at the list price),
 * {@code flex} (OpenAI's flex service tier: cheaper, may be refused for capacity) or {@code batch} (a
 * provider batch: OpenAI's Batch API, Anthropic's Message Batches; answered within the provider's window,
 * about half the price). A meeting has a planned lane (where it is sent next) and, once completed by a
 * provider, the lane that produced its minutes.
 */
public enum Lane {
    REALTIME, FLEX, BATCH;

    /** Lower-case name as it appears in JSON, SQL and the CLI. */
    public String wireName() {
        return name().toLowerCase(Locale.ROOT);
    }

    public static Lane fromWire(String name) {
        return valueOf(name.toUpperCase(Locale.ROOT));
    }
}
