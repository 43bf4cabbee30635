package io.minutes.store.postgres;

import io.minutes.core.domain.ProgressEvent;
import io.minutes.store.StoreFailures;
import io.minutes.core.port.StoreEvents;
import org.postgresql.PGConnection;
import org.postgresql.PGNotification;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.sql.Array;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * {@link StoreEvents} over PostgreSQL's LISTEN/NOTIFY, so every node connected to the database
 * hears of new work and of every meeting's progress, whichever node processed it.
 *
 * <p>Two channels per schema: {@code minutes.<schema>.work} (no payload) and
 * {@code minutes.<schema>.progress} (a JSON {@link ProgressEvent}). Publishing only queues: a
 * sender thread sends what has queued up in one round trip. A listener thread keeps its own
 * connection LISTENing; when that connection drops it reconnects and announces work, since a
 * notification may have been missed meanwhile.
 */
public final class PostgresStoreEvents implements StoreEvents {
    private static final Logger log = LoggerFactory.getLogger(PostgresStoreEvents.class);
    private static final int MAX_QUEUED = 100_000;
    private static final Duration RECONNECT_DELAY = Duration.ofSeconds(1);

    private record Notification(String channel, String payload) {
    }

    private final PostgresDatabase database;
    private final String workChannel;
    private final String progressChannel;
    private final List<Listener> listeners = new CopyOnWriteArrayList<>();
    private final BlockingQueue<Notification> outbox = new LinkedBlockingQueue<>(MAX_QUEUED);
    private final AtomicBoolean workQueued = new AtomicBoolean();
    private final Thread sender;
    private final Thread receiver;
    private volatile boolean running = true;

    public PostgresStoreEvents(PostgresDatabase database) {
        this.database = database;
        this.workChannel = "minutes." + database.schema() + ".work";
        this.progressChannel = "minutes." + database.schema() + ".progress";
        this.receiver = Thread.ofPlatform().name("minutes-pg-listen").daemon().start(this::receive);
        this.sender = Thread.ofPlatform().name("minutes-pg-notify").daemon().start(this::send);
    }

    @Override
    public void workAdded() {
        // one pending work notice says it all: the nodes it wakes look at the whole queue
        if (workQueued.compareAndSet(false, true)) enqueue(new Notification(workChannel, ""));
    }

    @Override
    public void publish(ProgressEvent event) {
        enqueue(new Notification(progressChannel, ProgressEventCodec.encode(event)));
    }

    private void enqueue(Notification notification) {
        if (!outbox.offer(notification)) log.warn("dropped a notification: {} are waiting to be sent", MAX_QUEUED);
    }

    @Override
    public Subscription subscribe(Listener listener) {
        listeners.add(listener);
        return () -> listeners.remove(listener);
    }

    // ---- sending -------------------------------------------------------------------------------

    private void send() {
        List<Notification> batch = new ArrayList<>();
        while (running || !outbox.isEmpty()) {
            try {
                Notification first = outbox.poll(200, TimeUnit.MILLISECONDS);
                if (first == null) continue;
                batch.add(first);
                outbox.drainTo(batch, 999);
                if (batch.stream().anyMatch(n -> n.channel().equals(workChannel))) workQueued.set(false);
                notifyAll(batch);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return;
            } catch (SQLException | RuntimeException e) {
                // said as the store says it (no exception class, host or port): this line reaches the user's terminal
                String why = e instanceof SQLException sql ? StoreFailures.postgres("notify", sql).getMessage() : e.getMessage();
                log.warn("could not send {} notification(s) to the other nodes: {}", batch.size(), why);
                log.debug("notify", e);
            } finally {
                batch.clear();
            }
        }
    }

    private void notifyAll(List<Notification> batch) throws SQLException {
        try (Connection c = database.dataSource().getConnection();
             PreparedStatement notify = c.prepareStatement(
                     "SELECT pg_notify(n.channel, n.payload) FROM unnest(?::text[], ?::text[]) AS n(channel, payload)")) {
            Array channels = c.createArrayOf("text", batch.stream().map(Notification::channel).toArray());
            Array payloads = c.createArrayOf("text", batch.stream().map(Notification::payload).toArray());
            notify.setArray(1, channels);
            notify.setArray(2, payloads);
            notify.execute();
            c.commit(); // PostgreSQL delivers notifications when their transaction commits
        }
    }

    // ---- receiving -----------------------------------------------------------------------------

    /**
     * The loss of the connection is said once (the engine says what is wrong with the store; this only
     * says that events are late meanwhile), and its coming back once.
     */
    private void receive() {
        boolean lost = false;
        while (running) {
            try (Connection c = database.dedicatedConnection()) {
                try (Statement s = c.createStatement()) {
                    s.execute("LISTEN " + quoted(workChannel));
                    s.execute("LISTEN " + quoted(progressChannel));
                }
                if (lost) log.info("listening for events again");
                lost = false;
                deliverWork(); // anything announced while this node was not listening
                PGConnection pg = c.unwrap(PGConnection.class);
                while (running) {
                    PGNotification[] notifications = pg.getNotifications(500);
                    if (notifications == null) continue;
                    for (PGNotification n : notifications) deliver(n);
                }
            } catch (SQLException e) {
                if (!running) return;
                if (!lost) {
                    log.info("lost the LISTEN connection ({}); events wait until it is back, trying every {} ms",
                            StoreFailures.postgres("listen", e).getMessage(), RECONNECT_DELAY.toMillis());
                }
                log.debug("LISTEN connection: {}", e.getMessage());
                lost = true;
                try {
                    Thread.sleep(RECONNECT_DELAY);
                } catch (InterruptedException ie) {
                    return;
                }
            }
        }
    }

    private void deliver(PGNotification n) {
        if (n.getName().equals(workChannel)) {
            deliverWork();
        } else if (n.getName().equals(progressChannel)) {
            ProgressEvent event;
            try {
                event = ProgressEventCodec.decode(n.getParameter());
            } catch (RuntimeException e) {
                log.warn("ignored an unreadable progress notification: {}", e.toString());
                return;
            }
            for (Listener listener : listeners) {
                try {
                    listener.progress(event);
                } catch (RuntimeException e) {
                    log.warn("a progress listener failed on {}: {}", event, e.toString(), e);
                }
            }
        }
    }

    private void deliverWork() {
        for (Listener listener : listeners) {
            try {
                listener.workAdded();
            } catch (RuntimeException e) {
                log.warn("a work listener failed: {}", e.toString(), e);
            }
        }
    }

    private static String quoted(String identifier) {
        return '"' + identifier.replace("\"", "\"\"") + '"';
    }

    /** Sends what is still queued, then stops listening. */
    @Override
    public void close() {
        running = false;
        join(sender);
        join(receiver);
        listeners.clear();
    }

    private static void join(Thread t) {
        try {
            t.join(Duration.ofSeconds(5));
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
