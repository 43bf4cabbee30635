package io.minutes.server;

import io.minutes.core.domain.MeetingState;
import io.minutes.core.engine.Eta;
import io.minutes.core.domain.ProgressEvent;
import io.minutes.core.port.EventSink;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.Consumer;

/**
 * Progress events of every batch, fanned out to whoever listens (SSE clients, synchronous process
 * calls, metrics), each with a sequence number. Events reach a batch's listeners one at a time in
 * sequence order; a "running" event that arrives after its attempt already finished (the claim loop
 * publishes starts while fast meetings may already be done) is dropped, so a client never sees a
 * meeting go back to running. Also measures throughput: meetings finished per second over the last
 * minute, for ETAs and Retry-After.
 */
public final class EventHub implements EventSink {
    /** {@code event} is null for a poke: something changed that the store will tell. */
    public record Sequenced(long seq, ProgressEvent event) {
    }

    @FunctionalInterface
    public interface Subscription extends AutoCloseable {
        @Override
        void close();
    }

    private static final Duration WINDOW = Duration.ofSeconds(60);

    private final Clock clock;
    private final Map<String, List<Consumer<Sequenced>>> byBatch = new ConcurrentHashMap<>();
    private final List<Consumer<Sequenced>> all = new CopyOnWriteArrayList<>();
    private final Map<String, Set<String>> finishedAttempts = new ConcurrentHashMap<>();
    private final Deque<Instant> finishes = new ArrayDeque<>();
    private final Instant startedAt;
    private final Eta eta;
    private long seq;

    public EventHub(Clock clock) {
        this.clock = clock;
        this.startedAt = clock.instant();
        this.eta = new Eta(clock);
    }

    @Override
    public void publish(ProgressEvent event) {
        Sequenced sequenced;
        synchronized (this) {
            if (event.isMeetingMove()) { // a provider batch's counts are no meeting's attempt
                String attemptKey = event.meetingId() + "#" + event.attempt();
                Set<String> finished = finishedAttempts.computeIfAbsent(event.batchId(), b -> new HashSet<>());
                if (event.state() == MeetingState.RUNNING) {
                    if (finished.contains(attemptKey)) return;
                } else {
                    finished.add(attemptKey);
                }
            }
            if (event.state().isFinal()) finishes.addLast(clock.instant());
            eta.observe(event);
            if (event.counts().isFinished()) finishedAttempts.remove(event.batchId());
            sequenced = new Sequenced(++seq, event);
            for (Consumer<Sequenced> listener : byBatch.getOrDefault(event.batchId(), List.of())) listener.accept(sequenced);
        }
        for (Consumer<Sequenced> listener : all) listener.accept(sequenced);
    }

    /** A sequence number for an event made from the store (a state no published event told yet). */
    public synchronized long nextSeq() {
        return ++seq;
    }

    /** Tells a batch's listeners to look at the store again (a cancel or retry changed it without events). */
    public void poke(String batchId) {
        Sequenced poke;
        synchronized (this) {
            poke = new Sequenced(++seq, null);
            for (Consumer<Sequenced> listener : byBatch.getOrDefault(batchId, List.of())) listener.accept(poke);
        }
    }

    /** {@code listener} must not block: it is called while other publishers wait. */
    public Subscription subscribe(String batchId, Consumer<Sequenced> listener) {
        byBatch.computeIfAbsent(batchId, b -> new CopyOnWriteArrayList<>()).add(listener);
        return () -> byBatch.computeIfPresent(batchId, (b, list) -> {
            list.remove(listener);
            return list.isEmpty() ? null : list;
        });
    }

    public Subscription subscribeAll(Consumer<Sequenced> listener) {
        all.add(listener);
        return () -> all.remove(listener);
    }

    /** The batch's own meetings finished per second, from when its work began (see {@link Eta}): for its ETA. */
    public double throughput(String batchId) {
        return eta.rate(batchId);
    }

    /** Meetings finished per second over the last minute (or since start, if sooner); 0 when idle. */
    public synchronized double throughput() {
        Instant now = clock.instant();
        Instant from = now.minus(WINDOW);
        while (!finishes.isEmpty() && finishes.peekFirst().isBefore(from)) finishes.removeFirst();
        if (finishes.isEmpty()) return 0;
        Instant since = startedAt.isAfter(from) ? startedAt : from;
        double seconds = Math.max(1.0, Duration.between(since, now).toMillis() / 1000.0);
        return finishes.size() / seconds;
    }
}
