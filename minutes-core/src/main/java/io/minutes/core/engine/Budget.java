package io.minutes.core.engine;

import java.util.Locale;

/**
 * A batch's spending limit in USD. Before each provider call the pipeline reserves the most the
 * call can cost; the call goes ahead only while spent + reserved stays within the limit, and
 * settles to what it really cost afterwards. A meeting refused here is skipped with reason
 * {@link #EXHAUSTED}. Thread-safe: the calls of one batch run at once.
 */
public final class Budget {
    public static final String EXHAUSTED = "budget_exhausted";

    private final double limitUsd;
    private double spentUsd;
    private double reservedUsd;

    /** @param alreadySpentUsd what the batch cost before (a resumed batch) */
    public Budget(double limitUsd, double alreadySpentUsd) {
        if (!(limitUsd >= 0)) throw new IllegalArgumentException("a budget must be 0 or more USD, got " + limitUsd);
        this.limitUsd = limitUsd;
        this.spentUsd = alreadySpentUsd;
    }

    public synchronized boolean tryReserve(double usd) {
        if (spentUsd + reservedUsd + usd > limitUsd) return false;
        reservedUsd += usd;
        return true;
    }

    /** Releases a reservation of {@code reservedUsd} and counts {@code spentUsd} (0 when the call failed before costing). */
    public synchronized void settle(double reservedUsd, double spentUsd) {
        this.reservedUsd = Math.max(0, this.reservedUsd - reservedUsd);
        this.spentUsd += spentUsd;
    }

    public synchronized String refusal(double wantedUsd) {
        return String.format(Locale.ROOT, "%s: spent $%.4f + reserved $%.4f + this meeting's up to $%.4f would pass the "
                + "budget of $%.4f", EXHAUSTED, spentUsd, reservedUsd, wantedUsd, limitUsd);
    }
}
