package io.minutes.server;

import io.minutes.core.domain.BatchCounts;

/**
 * The counts one event stream has told. An event carries the counts of the moment it was made, and
 * events from many workers (and nodes) arrive in an order of their own: one made before the last
 * told may arrive after it. Such a stale snapshot never undoes what was told: each final count
 * (completed, failed, skipped, cancelled) is the most ever seen, and queued + running what is left.
 * The store's counts are the truth and replace what was told (a retry really does turn failed
 * meetings back to queued).
 */
final class SseCounts {
    private BatchCounts told;

    SseCounts(BatchCounts fromStore) {
        this.told = fromStore;
    }

    BatchCounts told() {
        return told;
    }

    BatchCounts fromStore(BatchCounts counts) {
        told = counts;
        return told;
    }

    BatchCounts fromEvent(BatchCounts counts) {
        told = latest(told, counts);
        return told;
    }

    static BatchCounts latest(BatchCounts told, BatchCounts next) {
        if (next.total() != told.total()) return next; // not the same batch shape: nothing to compare
        int completed = Math.max(told.completed(), next.completed());
        int failed = Math.max(told.failed(), next.failed());
        int skipped = Math.max(told.skipped(), next.skipped());
        int cancelled = Math.max(told.cancelled(), next.cancelled());
        int left = next.total() - completed - failed - skipped - cancelled;
        if (left < 0) return next.finished() >= told.finished() ? next : told;
        int running = Math.min(next.running(), left);
        int waiting = Math.min(next.waiting(), left - running);
        return new BatchCounts(left - running - waiting, running, completed, failed, skipped, cancelled, waiting);
    }
}
