package io.minutes.core.port;

import io.minutes.core.domain.BatchCounts;
import io.minutes.core.domain.Usage;

/** What a readiness check and the service's gauges ask of the store. Part of every {@link MeetingStore}. */
public interface StoreStatus {

    /** Meetings in each state and their usage across every batch: the service's queue depth, capacity and spend. */
    record Totals(BatchCounts counts, Usage usage) {
    }

    /**
     * Proves the store can be written now: takes its write lock and runs a write that changes no row.
     * Throws (as every operation does on failure) when it cannot: a read-only database or standby,
     * another writer holding the lock past the wait, a closed or unreachable store. Readiness checks use it.
     */
    void checkWritable();

    Totals countsAll();
}
