package io.minutes.core.domain;

import java.util.Locale;

/**
 * A batch's spending limit in USD and where it stands: {@code spentUsd} is what its meetings cost so
 * far (analyses and transcriptions), {@code reservedUsd} what the provider calls in flight may still
 * cost (each reserves its estimate's most before it is sent). A call goes ahead only while spent +
 * reserved + its own most stays within the limit; a meeting refused is skipped with reason
 * {@link #EXHAUSTED}, and {@code exhaustedMeetings} counts them.
 */
public record Budget(double limitUsd, double spentUsd, double reservedUsd, int exhaustedMeetings) {
    /** The skip reason's first word, and the batch status once any meeting was refused. */
    public static final String EXHAUSTED = "budget_exhausted";

    public Budget {
        if (!(limitUsd >= 0) || Double.isInfinite(limitUsd)) {
            throw new IllegalArgumentException("a budget must be 0 or more USD, got " + limitUsd);
        }
    }

    /** Whether a call that may cost up to {@code usd} fits next to what is spent and reserved. */
    public boolean allows(double usd) {
        return spentUsd + reservedUsd + usd <= limitUsd;
    }

    /** The skip reason of a meeting whose call of up to {@code usd} did not fit. */
    public String refusal(double usd) {
        return String.format(Locale.ROOT, "%s: spent $%.4f + reserved $%.4f + this meeting's up to $%.4f would pass the "
                + "budget of $%.4f", EXHAUSTED, spentUsd, reservedUsd, usd, limitUsd);
    }

    /** Whether a meeting was skipped because of this budget (its skip reason says so). */
    public static boolean refused(String skipReason) {
        return skipReason != null && skipReason.startsWith(EXHAUSTED);
    }
}
