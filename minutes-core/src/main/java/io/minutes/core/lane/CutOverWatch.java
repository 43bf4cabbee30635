package io.minutes.core.lane;

import io.minutes.core.domain.BatchCounts;
import io.minutes.core.port.BatchStore;

import java.time.Clock;
import java.time.Instant;
import java.util.Objects;
import java.util.Optional;

/**
 * Asked by the lanes that keep meetings waiting (a provider batch, flex capacity) whether a batch's meetings must
 * run realtime now: when the batch's {@link CutOver} has come, or when a provider batch sent now would, at its p95,
 * not be back before it. What still waits is counted from the batch's unfinished meetings (all of them: the ones
 * planned realtime that are not done yet drain through the same throttle), each reserving its input tokens and one
 * call's output allowance; so the cut-over comes early rather than late.
 */
public final class CutOverWatch {

    /**
     * @param drain               how fast realtime drains under the configured limits and concurrency
     * @param buffer              deadline-buffer
     * @param batchLatency        how long this provider's batches take (p95, or assumed)
     * @param outputTokensPerCall the output allowance of one call (max-output-tokens)
     */
    public record Settings(RealtimeDrain drain, DeadlineBuffer buffer, BatchLatency batchLatency, long outputTokensPerCall) {
        public Settings {
            Objects.requireNonNull(drain, "drain");
            Objects.requireNonNull(buffer, "buffer");
            Objects.requireNonNull(batchLatency, "batchLatency");
        }
    }

    private final BatchStore store;
    private final Settings settings;
    private final Clock clock;

    public CutOverWatch(BatchStore store, Settings settings, Clock clock) {
        this.store = Objects.requireNonNull(store, "store");
        this.settings = Objects.requireNonNull(settings, "settings");
        this.clock = Objects.requireNonNull(clock, "clock");
    }

    /** Why batch {@code batchId}'s meetings must not wait any longer (its cut-over has come); empty while they may. */
    public Optional<String> cutOverCome(String batchId, long inputTokensPerMeeting) {
        return check(batchId, inputTokensPerMeeting, false);
    }

    /**
     * Why batch {@code batchId}'s meetings should not be put into a new provider batch now (its cut-over has come, or
     * comes before a provider batch sent now would be back at its p95); empty when they may.
     */
    public Optional<String> tooLateForABatch(String batchId, long inputTokensPerMeeting) {
        return check(batchId, inputTokensPerMeeting, true);
    }

    /**
     * When what still waits of a batch with {@code deadline} and {@code counts} moves to realtime, as worked out now:
     * the batch's status shows it. Each unfinished meeting is counted with {@code inputTokensPerMeeting}.
     */
    public Instant cutOverAt(BatchStore.BatchDeadline deadline, BatchCounts counts, long inputTokensPerMeeting) {
        int left = counts.total() - counts.finished();
        return CutOver.of(deadline.submittedAt(), deadline.deadline(), settings.buffer()).at(settings.drain(), left,
                left * Math.max(0, inputTokensPerMeeting), left * settings.outputTokensPerCall());
    }

    /**
     * Why a meeting of batch {@code batchId} whose flex call was refused must run realtime now rather than wait for
     * flex capacity until {@code tryAgainAt}: its cut-over has come, or comes before then; empty when it may wait.
     */
    public Optional<String> noTimeToWaitForFlex(String batchId, long inputTokensPerMeeting, Instant tryAgainAt) {
        return cut(batchId, inputTokensPerMeeting).flatMap(cut -> cut.come(clock.instant())
                .or(() -> tryAgainAt.isBefore(cut.at()) ? Optional.empty() : Optional.of("trying flex again at " + tryAgainAt
                        + " would be after the cut-over " + cut.at() + " for the deadline " + cut.deadline())));
    }

    private Optional<String> check(String batchId, long inputTokensPerMeeting, boolean sending) {
        return cut(batchId, inputTokensPerMeeting).flatMap(cut -> {
            Instant now = clock.instant();
            Optional<String> come = cut.come(now);
            if (come.isPresent() || !sending) return come;
            Instant back = now.plus(settings.batchLatency().p95());
            if (!back.isAfter(cut.at())) return Optional.empty();
            return Optional.of("a provider batch sent now would be back at " + back + " (p95 "
                    + LanePlanner.human(settings.batchLatency().p95()) + "), after the cut-over " + cut.at() + " for the deadline "
                    + cut.deadline());
        });
    }

    /** A batch's cut-over {@code at}, worked out now for the {@code left} meetings it has not finished. */
    private record Cut(Instant at, Instant deadline, int left) {
        Optional<String> come(Instant now) {
            if (now.isBefore(at)) return Optional.empty();
            return Optional.of("the cut-over " + at + " for the deadline " + deadline + " has come: " + left
                    + " meeting(s) left drain in realtime");
        }
    }

    /** The cut-over of batch {@code batchId} as it stands now (empty: it has no deadline). */
    private Optional<Cut> cut(String batchId, long inputTokensPerMeeting) {
        Optional<BatchStore.BatchDeadline> deadline = store.batchDeadline(batchId);
        if (deadline.isEmpty()) return Optional.empty();
        BatchCounts counts = store.batchGet(batchId).map(b -> b.counts()).orElse(BatchCounts.EMPTY);
        int left = counts.total() - counts.finished();
        CutOver cut = CutOver.of(deadline.get().submittedAt(), deadline.get().deadline(), settings.buffer());
        return Optional.of(new Cut(cutOverAt(deadline.get(), counts, inputTokensPerMeeting), cut.deadline(), left));
    }
}
