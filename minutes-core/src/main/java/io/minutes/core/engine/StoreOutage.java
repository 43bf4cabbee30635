package io.minutes.core.engine;

import io.minutes.core.port.StoreUnavailableException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.time.Duration;
import java.time.Instant;
import java.util.Optional;

/**
 * Whether this node can reach its store now, and since when it cannot: told by every store operation
 * of the engine that fails with a {@link StoreUnavailableException} or succeeds. Its {@link Listener}
 * hears once when an outage starts and once when it ends, not once per failed write.
 */
public final class StoreOutage {
    private static final Logger log = LoggerFactory.getLogger(StoreOutage.class);

    /** What is wrong ({@link StoreUnavailableException#condition()}) and since when. */
    public record Outage(String condition, Instant since) {
    }

    public interface Listener {
        void started(Outage outage);

        void ended(Outage outage, Instant at);
    }

    /** Logs the start (warn) and the end (info) of an outage: what a worker or a service wants. */
    public static final Listener LOG = new Listener() {
        @Override
        public void started(Outage outage) {
            log.warn("{} since {}; meetings in flight keep their answers and store them when it is back, "
                    + "and no meeting is started meanwhile", outage.condition(), outage.since());
        }

        @Override
        public void ended(Outage outage, Instant at) {
            log.info("the store is back after {} s ({})", Duration.between(outage.since(), at).toSeconds(),
                    outage.condition());
        }
    };

    private volatile Listener listener = LOG;
    private Outage current;

    public void listener(Listener listener) {
        this.listener = listener;
    }

    public synchronized Optional<Outage> current() {
        return Optional.ofNullable(current);
    }

    public void failed(StoreUnavailableException e, Instant now) {
        Outage started;
        synchronized (this) {
            if (current != null) {
                if (current.condition().equals(e.condition())) return;
                current = new Outage(e.condition(), current.since()); // e.g. unreachable, then disk full
                return;
            }
            current = started = new Outage(e.condition(), now);
        }
        listener.started(started);
    }

    public void succeeded(Instant now) {
        Outage ended;
        synchronized (this) {
            if (current == null) return;
            ended = current;
            current = null;
        }
        listener.ended(ended, now);
    }
}
