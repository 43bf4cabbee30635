package io.minutes.server;

import io.minutes.core.port.StoreStatus;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.Supplier;

/**
 * What the service knows of its store, without waiting on it. A store that does not answer (PostgreSQL
 * unreachable: every call waits out the pool's connection timeout) must not hold liveness, readiness
 * or metrics: the check runs on a thread of its own, one at a time, and callers wait for it at most
 * {@link #ANSWER_WITHIN}; the last outcome is kept, so /api requests are refused at once while the
 * store is known to be down, and a check in the background notices when it is back.
 */
final class StoreHealth {
    static final Duration ANSWER_WITHIN = Duration.ofMillis(900);
    /** How long a failed check keeps the API refusing at once before a request may try the store again. */
    static final Duration DOWN_FOR = Duration.ofSeconds(30);

    /** The outcome of one check: {@code problem} null when the store took a write. */
    record Status(Instant at, String problem) {
        boolean up() {
            return problem == null;
        }
    }

    private final StoreStatus store;
    private final Clock clock;
    private final AtomicReference<CompletableFuture<Status>> inFlight = new AtomicReference<>();
    private final AtomicReference<CompletableFuture<StoreStatus.Totals>> totalsInFlight = new AtomicReference<>();
    private volatile Status last;

    StoreHealth(StoreStatus store, Clock clock) {
        this.store = store;
        this.clock = clock;
    }

    /** The last known status, or empty before the first check. */
    Optional<Status> last() {
        return Optional.ofNullable(last);
    }

    /** Checks the store now, waiting at most {@link #ANSWER_WITHIN}; a check that takes longer says so. */
    Status check() {
        CompletableFuture<Status> check = startCheck();
        try {
            return check.get(ANSWER_WITHIN.toMillis(), TimeUnit.MILLISECONDS);
        } catch (TimeoutException e) {
            Status before = last;
            String problem = "did not answer within " + ANSWER_WITHIN.toMillis() + " ms"
                    + (before != null && !before.up() ? " (last error: " + before.problem() + ")" : "");
            Status slow = new Status(clock.instant(), problem);
            last = slow;
            return slow;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return new Status(clock.instant(), "interrupted");
        } catch (ExecutionException e) {
            return new Status(clock.instant(), rootMessage(e.getCause()));
        }
    }

    /**
     * True while the last check (or request) found the store down, for {@link #DOWN_FOR}; a check starts in
     * the background each time it is asked, so the store's return is noticed without a request waiting on it.
     */
    boolean knownDown() {
        Status s = last;
        if (s == null || s.up()) return false;
        startCheck();
        return Duration.between(s.at(), clock.instant()).compareTo(DOWN_FOR) < 0;
    }

    /** A request failed in the database: the store is down until a check says otherwise. */
    void failed(Throwable e) {
        last = new Status(clock.instant(), rootMessage(e));
        startCheck();
    }

    /** The store's totals if it gives them within {@link #ANSWER_WITHIN}; one read at a time. */
    Optional<StoreStatus.Totals> totals() {
        CompletableFuture<StoreStatus.Totals> read = start(totalsInFlight, store::countsAll);
        try {
            return Optional.of(read.get(ANSWER_WITHIN.toMillis(), TimeUnit.MILLISECONDS));
        } catch (TimeoutException | ExecutionException e) {
            return Optional.empty();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return Optional.empty();
        }
    }

    private CompletableFuture<Status> startCheck() {
        return start(inFlight, () -> {
            Status status;
            try {
                store.checkWritable();
                status = new Status(clock.instant(), null);
            } catch (RuntimeException e) {
                status = new Status(clock.instant(), rootMessage(e));
            }
            last = status;
            return status;
        });
    }

    /** Runs {@code work} on a thread of its own unless a run is still going: then that run is the answer. */
    private static <T> CompletableFuture<T> start(AtomicReference<CompletableFuture<T>> running, Supplier<T> work) {
        while (true) {
            CompletableFuture<T> current = running.get();
            if (current != null && !current.isDone()) return current;
            CompletableFuture<T> next = new CompletableFuture<>();
            if (!running.compareAndSet(current, next)) continue;
            Thread.ofVirtual().name("minutes-store-check").start(() -> {
                try {
                    next.complete(work.get());
                } catch (Throwable t) {
                    next.completeExceptionally(t);
                }
            });
            return next;
        }
    }

    /** The first cause's message: the database's own words, without the store's wrapping (which names the file). */
    static String rootMessage(Throwable e) {
        Throwable t = e;
        while (t.getCause() != null && t.getCause() != t) t = t.getCause();
        return t.getMessage() == null ? t.getClass().getSimpleName() : t.getMessage();
    }

    /** Whether {@code e} is the database failing (not a bug): a JDBC error somewhere in its causes. */
    static boolean isDatabaseFailure(Throwable e) {
        for (Throwable t = e; t != null; t = t.getCause() == t ? null : t.getCause()) {
            if (t instanceof java.sql.SQLException) return true;
        }
        return false;
    }
}
