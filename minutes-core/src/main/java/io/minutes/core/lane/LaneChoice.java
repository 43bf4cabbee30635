package io.minutes.core.lane;

import java.util.Locale;

/**
 * The lane a user asks for ({@code --lane}, {@code options.lane}): one lane for every meeting that can take it,
 * or {@code auto}: the cheapest lane that still meets the deadline, chosen by {@link LanePlanner}.
 */
public enum LaneChoice {
    AUTO, REALTIME, FLEX, BATCH;

    public String wireName() {
        return name().toLowerCase(Locale.ROOT);
    }

    public static LaneChoice fromWire(String name) {
        try {
            return valueOf(name.strip().toUpperCase(Locale.ROOT));
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException("lane must be auto, realtime, flex or batch, got '" + name + "'");
        }
    }
}
