package io.minutes.core.domain;

import java.util.Locale;

/**
 * The status of a batch, derived from the states of its meetings (see {@link BatchCounts#status()}),
 * and {@code budget_exhausted} for a finished batch whose budget refused some of its meetings.
 */
public enum BatchStatus {
    PROCESSING, COMPLETED, PARTIAL, FAILED, CANCELLED, BUDGET_EXHAUSTED;

    public String wireName() {
        return name().toLowerCase(Locale.ROOT);
    }

    /**
     * The status of a batch whose budget refused {@code budgetExhausted} meetings: once it is
     * finished, {@code budget_exhausted} rather than "completed", so a stopped batch is not taken for a
     * whole one; otherwise {@link BatchCounts#status()}.
     */
    public static BatchStatus of(BatchCounts counts, long budgetExhausted) {
        return budgetExhausted > 0 && counts.isFinished() ? BUDGET_EXHAUSTED : counts.status();
    }
}
