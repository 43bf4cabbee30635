package io.minutes.core.port;

import io.minutes.core.domain.ProgressEvent;

/**
 * The store's companion that tells every node what happens in the shared queue: that work may be
 * due (so idle dispatchers look now instead of at their next poll) and how meetings progress (so a
 * node's progress bar or SSE clients see meetings that other nodes process). One process on SQLite
 * has an in-process one; PostgreSQL carries both over LISTEN/NOTIFY.
 *
 * <p>{@link #publish} and {@link #workAdded} never block on a listener or the network; a
 * notification may be lost (a node reconnecting), so nodes still poll now and then.
 */
public interface StoreEvents extends EventSink, AutoCloseable {

    /** Announces that meetings were queued: a batch stored, a retry scheduled, a lease given back. */
    void workAdded();

    /** Sends the event to the listeners of every node, this one's included. */
    @Override
    void publish(ProgressEvent event);

    /** Listeners are called on the implementation's thread, one event at a time; keep them quick. */
    Subscription subscribe(Listener listener);

    @Override
    void close();

    interface Listener {
        default void workAdded() {
        }

        default void progress(ProgressEvent event) {
        }
    }

    @FunctionalInterface
    interface Subscription extends AutoCloseable {
        @Override
        void close();
    }
}
