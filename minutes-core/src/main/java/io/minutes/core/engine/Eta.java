package io.minutes.core.engine;

import io.minutes.core.domain.ProgressEvent;
import io.minutes.core.domain.MeetingState;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.HashMap;
import java.util.Map;
import java.util.OptionalLong;

/**
 * How long a batch has left, from what is actually running and finishing: the batch's own meetings
 * finished per second over the last minute, counted from when its work was first seen (a meeting
 * started or finished), never from when the watcher started. Every view (the CLI bar, {@code minutes
 * status}, the API's {@code eta_seconds} and the web UI) asks one of these, so they agree. A service
 * that sat idle before the batch, or a batch that waited behind another, does not inflate it.
 */
public final class Eta {
    static final Duration WINDOW = Duration.ofSeconds(60);

    private final Clock clock;
    private final Map<String, Track> batches = new HashMap<>();

    private static final class Track {
        Instant firstSeen;
        Instant finishedAt;
        final Deque<Instant> finishes = new ArrayDeque<>();
    }

    public Eta(Clock clock) {
        this.clock = clock;
    }

    public synchronized void observe(ProgressEvent event) {
        Instant now = clock.instant();
        // a finished batch keeps its rate for a window (its last progress line shows it), then is forgotten
        batches.values().removeIf(t -> t.finishedAt != null && t.finishedAt.isBefore(now.minus(WINDOW)));
        boolean work = event.state() == MeetingState.RUNNING || event.state().isFinal();
        if (!work) return;
        Track track = batches.computeIfAbsent(event.batchId(), b -> new Track());
        if (track.firstSeen == null) track.firstSeen = now;
        if (event.state().isFinal()) track.finishes.addLast(now);
        track.finishedAt = event.counts().isFinished() ? now : null;
    }

    /** The batch's meetings finished per second over the last minute since its work was first seen; 0 before any finished. */
    public synchronized double rate(String batchId) {
        Track track = batches.get(batchId);
        if (track == null) return 0;
        Instant now = clock.instant();
        Instant from = now.minus(WINDOW);
        while (!track.finishes.isEmpty() && track.finishes.peekFirst().isBefore(from)) track.finishes.removeFirst();
        if (track.finishes.isEmpty()) return 0;
        Instant since = track.firstSeen.isAfter(from) ? track.firstSeen : from;
        double seconds = Math.max(1.0, Duration.between(since, now).toMillis() / 1000.0);
        return track.finishes.size() / seconds;
    }

    /** Seconds until the {@code remaining} meetings are done at the batch's rate; empty while it is not known. */
    public OptionalLong secondsLeft(String batchId, int remaining) {
        if (remaining <= 0) return OptionalLong.of(0);
        double rate = rate(batchId);
        return rate > 0 ? OptionalLong.of((long) Math.ceil(remaining / rate)) : OptionalLong.empty();
    }
}
