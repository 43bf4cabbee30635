package io.minutes.core.domain;

import java.time.Instant;

/**
 * A set of meetings submitted together. {@code runKey} identifies the same job run again (the CLI
 * derives it from the inputs) so a rerun resumes the batch instead of starting over;
 * {@code priority} weighs its share of the claims.
 */
public record Batch(String id, String runKey, String provider, Instant submittedAt, BatchCounts counts, Usage usage,
                    Priority priority) {

    public BatchStatus status() {
        return counts.status();
    }
}
