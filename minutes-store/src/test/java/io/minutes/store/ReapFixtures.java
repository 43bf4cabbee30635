package io.minutes.store;

import io.minutes.core.engine.RetryPolicy;
import io.minutes.core.port.MeetingQueue.ReapParams;

import java.time.Duration;
import java.time.Instant;

/** Reaps for tests, decided by the engine's own {@link RetryPolicy} as a node's reaper is. */
public final class ReapFixtures {
    private ReapFixtures() {
    }

    /** A lost lease is due again at once, until {@code maxLostInARow} were lost in a row: then it fails. */
    public static ReapParams atOnceUpTo(Instant now, String owner, int maxLostInARow) {
        RetryPolicy policy = RetryPolicy.builder().baseDelay(Duration.ZERO).maxLeasesLostInARow(maxLostInARow).build();
        return new ReapParams(now, owner, policy::afterLeaseLost);
    }
}
