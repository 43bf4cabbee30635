package io.minutes.core.lane;

import java.time.Duration;
import java.time.Instant;
import java.util.Objects;
import java.util.Optional;

/**
 * A batch's cut-over: {@code deadline - buffer - the realtime drain of what still waits} (in a provider batch, or
 * for flex capacity). From then on what still waits runs realtime, so the batch is done by {@code deadline -
 * buffer} whenever realtime alone could have done it. The buffer is fixed when the batch is submitted (a share of
 * the time it then had left); the drain is worked out again from what still waits each time it is asked.
 */
public record CutOver(Instant deadline, Duration buffer) {

    public CutOver {
        Objects.requireNonNull(deadline, "deadline");
        if (buffer.isNegative()) throw new IllegalArgumentException("buffer must be >= 0, got " + buffer);
    }

    /** The cut-over of a batch submitted at {@code submittedAt} with {@code deadline}. */
    public static CutOver of(Instant submittedAt, Instant deadline, DeadlineBuffer buffer) {
        return new CutOver(deadline, buffer.of(Duration.between(submittedAt, deadline)));
    }

    /** When what still waits ({@code calls} calls of {@code inputTokens} and {@code outputTokens}) must start in realtime. */
    public Instant at(RealtimeDrain drain, int calls, long inputTokens, long outputTokens) {
        return deadline.minus(buffer).minus(drain.time(calls, inputTokens, outputTokens));
    }

    /** Whether, at {@code now}, what still waits must be moved to realtime. */
    public boolean due(Instant now, RealtimeDrain drain, int calls, long inputTokens, long outputTokens) {
        return !now.isBefore(at(drain, calls, inputTokens, outputTokens));
    }

    /**
     * A flex call refused for capacity at {@code now}: when to try flex again ({@code now + wait}, the provider's
     * retry-after or the backoff), or empty when that would be at or after the cut-over of what still waits, so the
     * meeting should run realtime now.
     */
    public Optional<Instant> retryFlexAt(Instant now, Duration wait, RealtimeDrain drain, int calls, long inputTokens,
                                         long outputTokens) {
        Instant again = now.plus(wait);
        return again.isBefore(at(drain, calls, inputTokens, outputTokens)) ? Optional.of(again) : Optional.empty();
    }
}
