package io.minutes.core.lane;

import java.time.Duration;
import java.util.Locale;

/**
 * The margin kept before a deadline ({@code deadline-buffer}): a share of the time left, but at least a floor;
 * or a fixed duration. What the planner's estimates get wrong (a slow call, a retry) is paid from it.
 */
public record DeadlineBuffer(double shareOfTimeLeft, Duration atLeast) {
    public static final Duration FLOOR = Duration.ofMinutes(5);

    public DeadlineBuffer {
        if (!(shareOfTimeLeft >= 0 && shareOfTimeLeft < 1)) {
            throw new IllegalArgumentException("the share of the time left must be in [0, 1), got " + shareOfTimeLeft);
        }
        if (atLeast.isNegative()) throw new IllegalArgumentException("the buffer must be >= 0, got " + atLeast);
    }

    /** 10% of the time left, at least 5 minutes. */
    public static DeadlineBuffer ofDefaults() {
        return new DeadlineBuffer(0.10, FLOOR);
    }

    public static DeadlineBuffer fixed(Duration buffer) {
        return new DeadlineBuffer(0, buffer);
    }

    /** The buffer when {@code timeLeft} remains until the deadline. */
    public Duration of(Duration timeLeft) {
        Duration share = Duration.ofMillis((long) (Math.max(0, timeLeft.toMillis()) * shareOfTimeLeft));
        return share.compareTo(atLeast) > 0 ? share : atLeast;
    }

    /** As the setting shows it: "10% (at least 5m)" or "15m". */
    public String describe() {
        String floor = atLeast.toString().substring(2).toLowerCase(Locale.ROOT);
        if (shareOfTimeLeft == 0) return floor;
        return String.format(Locale.ROOT, "%s%% (at least %s)", trim(shareOfTimeLeft * 100), floor);
    }

    private static String trim(double v) {
        return v == Math.rint(v) ? String.valueOf((long) v) : String.valueOf(v);
    }
}
