package io.minutes.providers.emulator;

import java.time.Duration;
import java.time.Instant;
import java.util.List;

/**
 * The life of one emulated provider batch, worked out from the time since it was created (no thread moves it):
 * validating, then its lines finish one by one, evenly spread over the batch latency, in a shuffled order (the
 * order the output lists them), then finalizing, then completed. A cancel stops it (lines in flight during the
 * cancelling time still finish); the window passing expires it, keeping the lines finished before.
 */
final class EmulatedBatch {
    enum Phase {
        VALIDATING, IN_PROGRESS, FINALIZING, CANCELLING, COMPLETED, EXPIRED, CANCELLED, FAILED;

        boolean ended() {
            return this == COMPLETED || this == EXPIRED || this == CANCELLED || this == FAILED;
        }
    }

    /** How long each phase takes; {@code notFoundFor}: how long a fresh batch answers 404 to a read. */
    record Timing(Duration validating, Duration running, Duration finalizing, Duration window, Duration notFoundFor) {
    }

    final String id;
    final String key;
    final String model;
    /** In the order they finish. */
    final List<EmulatedLine> lines;
    final Instant createdAt;
    final long createdNanos;
    final Timing timing;
    /** Why the provider refused the batch at validation (null: accepted). */
    final Refusal refusal;
    private Long cancelNanos;
    private boolean counted;
    boolean deleted;

    /** A refused batch: {@code code}, {@code message}, the 1-based input line it is about (null for the whole batch). */
    record Refusal(String code, String message, Integer line) {
    }

    EmulatedBatch(String id, String key, String model, List<EmulatedLine> lines, Instant createdAt, long createdNanos,
                  Timing timing, Refusal refusal) {
        this.id = id;
        this.key = key;
        this.model = model;
        this.lines = lines;
        this.createdAt = createdAt;
        this.createdNanos = createdNanos;
        this.timing = timing;
        this.refusal = refusal;
    }

    private long since(long now) {
        return now - createdNanos;
    }

    private long validatingNanos() {
        return timing.validating().toNanos();
    }

    private long runEndNanos() {
        return validatingNanos() + timing.running().toNanos();
    }

    /** When line {@code i} (in finish order) finishes, in nanos after creation. */
    private long finishNanos(int i) {
        return validatingNanos() + timing.running().toNanos() * (i + 1) / Math.max(1, lines.size());
    }

    /** After this many nanos (since creation) no more lines finish: the cancel's end, the window or the run's end. */
    private long stopNanos() {
        long stop = runEndNanos();
        if (cancelNanos != null) stop = Math.min(stop, cancelNanos < validatingNanos() ? 0 : cancelNanos + timing.finalizing().toNanos());
        return Math.min(stop, timing.window().toNanos());
    }

    synchronized Phase phase(long now) {
        long e = since(now);
        if (refusal != null) return e < validatingNanos() ? Phase.VALIDATING : Phase.FAILED;
        if (cancelNanos != null && cancelNanos < runEndNanos() && cancelNanos < timing.window().toNanos()) {
            if (cancelNanos < validatingNanos()) return Phase.CANCELLED;
            return e < cancelNanos + timing.finalizing().toNanos() ? Phase.CANCELLING : Phase.CANCELLED;
        }
        if (timing.window().toNanos() < runEndNanos() && e >= timing.window().toNanos()) return Phase.EXPIRED;
        if (e < validatingNanos()) return Phase.VALIDATING;
        if (e < runEndNanos()) return Phase.IN_PROGRESS;
        if (e < runEndNanos() + timing.finalizing().toNanos()) return Phase.FINALIZING;
        return Phase.COMPLETED;
    }

    /** When the batch reached its end, or null. */
    synchronized Instant endedAt(long now) {
        Phase p = phase(now);
        if (!p.ended()) return null;
        long at = switch (p) {
            case FAILED -> validatingNanos();
            case CANCELLED -> cancelNanos < validatingNanos() ? cancelNanos : cancelNanos + timing.finalizing().toNanos();
            case EXPIRED -> timing.window().toNanos();
            default -> runEndNanos() + timing.finalizing().toNanos();
        };
        return createdAt.plusNanos(at);
    }

    /** Lines finished (answered or errored) by {@code now}. */
    synchronized int finished(long now) {
        if (refusal != null) return 0;
        long upTo = Math.min(since(now), stopNanos());
        int n = 0;
        while (n < lines.size() && finishNanos(n) <= upTo) n++;
        return n;
    }

    /** Lines finished that errored, by {@code now}. */
    synchronized int errored(long now) {
        int n = finished(now);
        int errors = 0;
        for (int i = 0; i < n; i++) if (failsAtProvider(lines.get(i))) errors++;
        return errors;
    }

    static boolean failsAtProvider(EmulatedLine line) {
        return line.outcome() == EmulatedLine.Outcome.SERVER_ERROR || line.outcome() == EmulatedLine.Outcome.BAD_REQUEST;
    }

    /** Asks to stop; false when it is too late (ended or finalizing). */
    synchronized boolean cancel(long now) {
        Phase p = phase(now);
        if (p.ended() || p == Phase.FINALIZING) return p == Phase.CANCELLED;
        if (cancelNanos == null) cancelNanos = since(now);
        return true;
    }

    synchronized boolean cancelRequested() {
        return cancelNanos != null;
    }

    synchronized Instant cancelledAt() {
        return cancelNanos == null ? null : createdAt.plusNanos(cancelNanos);
    }

    boolean fresh(long now) {
        return since(now) < timing.notFoundFor().toNanos();
    }

    /** True the first time it is asked after the batch ended: its lines are counted then, once. */
    synchronized boolean countNow(long now) {
        if (counted || !phase(now).ended()) return false;
        counted = true;
        return true;
    }

    long promptTokens() {
        long sum = 0;
        for (EmulatedLine l : lines) sum += l.promptTokens();
        return sum;
    }
}
