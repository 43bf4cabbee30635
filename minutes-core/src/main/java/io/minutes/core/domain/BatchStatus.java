package io.minutes.core.domain;

import java.util.Locale;

/** The status of a batch, derived from the states of its meetings (see {@link BatchCounts#status()}). */
public enum BatchStatus {
    PROCESSING, COMPLETED, PARTIAL, FAILED, CANCELLED;

    public String wireName() {
        return name().toLowerCase(Locale.ROOT);
    }
}
