package io.minutes.core.domain;

import java.util.Locale;

/**
 * A batch's share of the claims: round-robin across running batches gives a high batch 4 meetings,
 * a normal one 2 and a low one 1 per round. {@code stride} is how far one meeting moves a batch
 * along the round: a batch's n-th due meeting has turn (its meetings running now + n) * stride, and
 * lower turns are claimed first.
 */
public enum Priority {
    HIGH(1), NORMAL(2), LOW(4);

    private final int stride;

    Priority(int stride) {
        this.stride = stride;
    }

    public int stride() {
        return stride;
    }

    public String wireName() {
        return name().toLowerCase(Locale.ROOT);
    }

    public static Priority fromWire(String name) {
        try {
            return valueOf(name.strip().toUpperCase(Locale.ROOT));
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException("priority must be high, normal or low, got '" + name + "'");
        }
    }
}
