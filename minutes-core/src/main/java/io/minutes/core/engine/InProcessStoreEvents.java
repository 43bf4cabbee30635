package io.minutes.core.engine;

import io.minutes.core.domain.ProgressEvent;
import io.minutes.core.port.StoreEvents;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;

/**
 * {@link StoreEvents} for a store only this process writes to (SQLite): listeners are called
 * directly, on the caller's thread. A listener that throws is logged and the others still hear.
 */
public final class InProcessStoreEvents implements StoreEvents {
    private static final Logger log = LoggerFactory.getLogger(InProcessStoreEvents.class);

    private final List<Listener> listeners = new CopyOnWriteArrayList<>();

    @Override
    public void workAdded() {
        for (Listener listener : listeners) {
            try {
                listener.workAdded();
            } catch (RuntimeException e) {
                log.warn("a work listener failed: {}", e.toString(), e);
            }
        }
    }

    @Override
    public void publish(ProgressEvent event) {
        for (Listener listener : listeners) {
            try {
                listener.progress(event);
            } catch (RuntimeException e) {
                log.warn("a progress listener failed on {}: {}", event, e.toString(), e);
            }
        }
    }

    @Override
    public Subscription subscribe(Listener listener) {
        listeners.add(listener);
        return () -> listeners.remove(listener);
    }

    @Override
    public void close() {
        listeners.clear();
    }
}
