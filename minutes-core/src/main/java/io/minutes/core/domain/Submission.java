package io.minutes.core.domain;

import io.minutes.core.lane.LaneChoice;
import io.minutes.core.style.MinutesStyle;

import java.util.Objects;

/**
 * What the submitter of a batch asked for, beyond its meetings: whose it is ({@code tenant}, null
 * when the service runs without API keys), what to do with duplicates, and its options
 * ({@code priority}: high|normal|low; {@code maxAttempts}: null for the service's setting;
 * {@code budgetUsd}: the most the batch may cost, null for no limit; {@code allowOverBudget}: start it
 * even when its estimate passes the budget; {@code style}: the language and template its minutes are asked in,
 * null for the service's settings; {@code lane}: the lane asked for ({@code options.lane}; null: realtime, as when
 * none is asked)).
 */
public record Submission(String tenant, OnDuplicate onDuplicate, String priority, Integer maxAttempts,
                         Double budgetUsd, boolean allowOverBudget, MinutesStyle style, LaneChoice lane) {
    public Submission {
        Objects.requireNonNull(onDuplicate, "onDuplicate");
        Objects.requireNonNull(priority, "priority");
    }

    public Submission(String tenant, OnDuplicate onDuplicate, String priority, Integer maxAttempts,
                      Double budgetUsd, boolean allowOverBudget, MinutesStyle style) {
        this(tenant, onDuplicate, priority, maxAttempts, budgetUsd, allowOverBudget, style, null);
    }

    public Submission(String tenant, OnDuplicate onDuplicate, String priority, Integer maxAttempts,
                      Double budgetUsd, boolean allowOverBudget) {
        this(tenant, onDuplicate, priority, maxAttempts, budgetUsd, allowOverBudget, null);
    }

    /** Without a budget. */
    public Submission(String tenant, OnDuplicate onDuplicate, String priority, Integer maxAttempts) {
        this(tenant, onDuplicate, priority, maxAttempts, null, false);
    }

    public static final Submission CLI = new Submission(null, OnDuplicate.SKIP, "normal", null);
}
