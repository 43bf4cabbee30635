package io.minutes.core.domain;

import java.util.Objects;

/**
 * What the submitter of a batch asked for, beyond its meetings: whose it is ({@code tenant}, null
 * when the service runs without API keys), what to do with duplicates, and its options
 * ({@code priority}: high|normal|low; {@code maxAttempts}: null for the service's setting).
 */
public record Submission(String tenant, OnDuplicate onDuplicate, String priority, Integer maxAttempts) {
    public Submission {
        Objects.requireNonNull(onDuplicate, "onDuplicate");
        Objects.requireNonNull(priority, "priority");
    }

    public static final Submission CLI = new Submission(null, OnDuplicate.SKIP, "normal", null);
}
