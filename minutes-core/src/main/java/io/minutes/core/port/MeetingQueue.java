package io.minutes.core.port;

import io.minutes.core.domain.Analysis;
import io.minutes.core.domain.Budget;
import io.minutes.core.domain.ClaimedMeeting;
import io.minutes.core.domain.Failure;
import io.minutes.core.domain.Submission;
import io.minutes.core.domain.Transcript;
import io.minutes.core.domain.TranscriptionUsage;
import io.minutes.core.domain.Usage;

import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import java.util.Set;

/**
 * The store as the engine's queue: claims, heartbeats, the writes that end or checkpoint an attempt,
 * the reaper's, and the budget reserved for a call. Every write that finishes an attempt is guarded by
 * the lease: a node that lost its lease (it expired and someone else took the meeting) gets
 * {@code false} and must drop its result. A write that queues a meeting again (a retry, a release, a
 * reap) is announced to every node's idle dispatchers by the store once it has committed.
 *
 * <p>Operations are named entity + verb with one params record each. Implementations must pass
 * {@code MeetingStoreContract} in minutes-store's tests.
 */
public interface MeetingQueue extends BatchLookup {

    /**
     * Takes up to {@code limit} queued meetings due at {@code now} (not_before <= now), a fair share
     * for every batch weighted by its {@link Priority}: a batch's n-th due meeting has turn
     * (meetings of the batch running now + n) * stride, lower turns first, older batches first within a
     * turn, each batch in input order. Leases them to {@code owner} until {@code now + lease}. Each
     * claimed meeting carries its batch's {@link Submission#maxAttempts()} (null when it has none).
     */
    record ClaimParams(String owner, int limit, Instant now, Duration lease) {
    }

    /** Extends the leases {@code owner} still holds among {@code meetingIds}. */
    record HeartbeatParams(String owner, Set<String> meetingIds, Instant now, Duration lease) {
    }

    /**
     * Reserves up to {@code usd} of the batch's budget for the provider call the meeting's open attempt
     * {@code attempt} is about to make (it replaces what that attempt held before). Atomic across
     * nodes: it is granted only while the batch's spent + reserved + {@code usd} stays within its
     * budget. The reservation lasts while the attempt is open; checkpointing a transcription settles it
     * (the cost is then spent), and so does ending the attempt in any way.
     */
    record BudgetReserveParams(String meetingId, int attempt, double usd) {
    }

    /**
     * What {@link MeetingQueue#meetingBudgetReserve} decided: {@code budget} is the batch's as it stood when
     * asked (empty when the batch has no budget, which grants everything). Not granted when the
     * budget could not take it, or when the attempt is no longer open (its lease was lost).
     */
    record Reservation(boolean granted, Optional<Budget> budget) {
    }

    /** The meeting's stored cost is {@code usage.costUsd} plus the cost of its checkpointed transcription, if any. */
    record CompleteParams(String meetingId, String owner, int attempt, Analysis analysis, Usage usage, Instant now) {
    }

    /**
     * Checkpoints the transcript of an audio meeting within the current attempt, with what the
     * transcription used; the meeting stays running. Later claims of the meeting carry this
     * transcript, so a retry of the analysis never pays for the transcription again. The attempt's budget
     * reservation is settled: the transcription's cost now counts as spent.
     */
    record TranscribedParams(String meetingId, String owner, int attempt, Transcript transcript,
                             TranscriptionUsage usage, Instant now) {
    }

    /** Closes the attempt with {@code failure} and queues the meeting again at {@code notBefore}. */
    record RetryParams(String meetingId, String owner, int attempt, Failure failure, Instant notBefore, Instant now) {
    }

    record FailParams(String meetingId, String owner, int attempt, Failure failure, Instant now) {
    }

    /** Ends the attempt without a result on purpose: the meeting becomes skipped with {@code reason}. */
    record SkipParams(String meetingId, String owner, int attempt, String reason, Instant now) {
    }

    /** Gives a running meeting back without counting the attempt (a clean shutdown). */
    record ReleaseParams(String meetingId, String owner, Instant now) {
    }

    /**
     * Takes back meetings whose lease expired before {@code now}, closing their open attempt as a
     * transient failure; if {@code owner} is set, takes that owner's leases whatever their expiry (it
     * is known to be dead). A lost lease is not the meeting's fault: it uses none of the meeting's
     * attempts but is counted as a lease lost in a row, and {@code retry} says, from that count, when
     * the meeting is due again, or that it fails (a crash loop).
     */
    record ReapParams(Instant now, String owner, LeaseLossRetry retry) {
        /** Due again at once, until {@code maxLostInARow} leases were lost in a row. */
        public ReapParams(Instant now, String owner, int maxLostInARow) {
            this(now, owner, LeaseLossRetry.atOnceUpTo(maxLostInARow));
        }
    }

    /** When a meeting whose lease was lost is tried again (the engine's retry policy answers). */
    @FunctionalInterface
    interface LeaseLossRetry {
        /** @return the delay before the next attempt after {@code lostInARow} leases lost in a row; empty: it fails */
        Optional<Duration> delayAfter(int lostInARow);

        static LeaseLossRetry atOnceUpTo(int maxLostInARow) {
            return lostInARow -> lostInARow >= maxLostInARow ? Optional.empty() : Optional.of(Duration.ZERO);
        }
    }

    List<ClaimedMeeting> meetingsClaim(ClaimParams params);

    /** @return the ids whose lease was extended (the rest are lost). */
    Set<String> meetingsHeartbeat(HeartbeatParams params);

    /** @return false when the lease was lost: nothing was written. */
    boolean meetingComplete(CompleteParams params);

    /** @return false when the lease was lost: nothing was written. */
    boolean meetingTranscribed(TranscribedParams params);

    /**
     * A rate-limited failure ({@link Failure#rateLimited()}) uses none of the meeting's attempts; the
     * time of the first of its 429s without a break is kept ({@link #meetingRateLimitedSince}).
     * Any other failure counts and ends that run of 429s, and of leases lost in a row.
     */
    boolean meetingRetry(RetryParams params);

    /** Since when the provider has refused this meeting with 429s without a break; empty when it is not refused. */
    Optional<Instant> meetingRateLimitedSince(String meetingId);

    boolean meetingFail(FailParams params);

    /** @return false when the lease was lost: nothing was written. */
    boolean meetingSkip(SkipParams params);

    boolean meetingRelease(ReleaseParams params);

    /** @return how many meetings were taken back. */
    int meetingsReap(ReapParams params);

    /** Distinct owners holding running leases now; lets a node spot leases of a dead local process. */
    Set<String> leaseOwners();

    /** The ids of the running meetings {@code owner} holds a lease on. */
    Set<String> meetingsHeldBy(String owner);

    /** When the earliest queued meeting becomes due, if any is queued. */
    Optional<Instant> nextDueAt();

    Reservation meetingBudgetReserve(BudgetReserveParams params);
}
