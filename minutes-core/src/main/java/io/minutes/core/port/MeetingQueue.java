package io.minutes.core.port;

import io.minutes.core.domain.Analysis;
import io.minutes.core.domain.Budget;
import io.minutes.core.domain.ClaimedMeeting;
import io.minutes.core.domain.Failure;
import io.minutes.core.domain.Lane;
import io.minutes.core.domain.MeetingState;
import io.minutes.core.domain.Submission;
import io.minutes.core.domain.Transcript;
import io.minutes.core.domain.TranscriptionUsage;
import io.minutes.core.domain.Usage;

import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Objects;
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
     * claimed meeting carries its batch's {@link Submission#maxAttempts()} (null when it has none), kept
     * on the meeting itself when it was stored.
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

    /**
     * Checkpoints the transcript of an audio meeting within the current attempt, with what the
     * transcription used; the meeting stays running. Later claims of the meeting carry this
     * transcript, so a retry of the analysis never pays for the transcription again. The attempt's budget
     * reservation is settled: the transcription's cost now counts as spent.
     */
    record TranscribedParams(String meetingId, String owner, int attempt, Transcript transcript,
                             TranscriptionUsage usage, Instant now) {
    }

    /**
     * How an attempt ended, as the store writes it: the meeting's next state follows from it
     * ({@link #state()}). The engine decides it (its {@code RetryPolicy} chose retry or fail); the store
     * only writes it, each outcome with its own SQL, all behind the one lease guard of
     * {@link #meetingFinish}. River's {@code JobSetStateIfRunning} with {@code JobSetStateCompleted(...)},
     * {@code JobSetStateErrorRetryable(...)}.
     */
    sealed interface Outcome {
        /** The state the meeting is in once this outcome is written. */
        MeetingState state();

        /** The meeting's stored cost is {@code usage.costUsd} plus the cost of its checkpointed transcription, if any. */
        static Outcome completed(Analysis analysis, Usage usage) {
            return completed(analysis, usage, null, null);
        }

        /**
         * Completed by calls in {@code lane} (null: the meeting's lane and ran lane stay as stored); the meeting's
         * planned lane becomes that lane too (a flex meeting that fell back is realtime). {@code listCostUsd}: what
         * its usage costs at the realtime list price (null: the same as its cost).
         */
        static Outcome completed(Analysis analysis, Usage usage, Lane lane, Double listCostUsd) {
            return new Completed(analysis, usage == null ? Usage.NONE : usage, lane, listCostUsd);
        }

        /**
         * The attempt failed and the meeting is queued again, due at {@code notBefore}. A rate-limited
         * failure ({@link Failure#rateLimited()}) uses none of the meeting's attempts; the time of the
         * first of its 429s without a break is kept ({@link #meetingRateLimitedSince}). Any other
         * failure counts and ends that run of 429s, and of leases lost in a row.
         */
        static Outcome retryAt(Instant notBefore, Failure failure) {
            return new RetryAt(Objects.requireNonNull(notBefore, "notBefore"), Objects.requireNonNull(failure, "failure"));
        }

        static Outcome failed(Failure failure) {
            return new Failed(Objects.requireNonNull(failure, "failure"));
        }

        /** Ended without a result on purpose: the meeting becomes skipped with {@code reason}. */
        static Outcome skipped(String reason) {
            return new Skipped(Objects.requireNonNull(reason, "reason"));
        }

        record Completed(Analysis analysis, Usage usage, Lane lane, Double listCostUsd) implements Outcome {
            public MeetingState state() {
                return MeetingState.COMPLETED;
            }
        }

        record RetryAt(Instant notBefore, Failure failure) implements Outcome {
            public MeetingState state() {
                return MeetingState.QUEUED;
            }
        }

        record Failed(Failure failure) implements Outcome {
            public MeetingState state() {
                return MeetingState.FAILED;
            }
        }

        record Skipped(String reason) implements Outcome {
            public MeetingState state() {
                return MeetingState.SKIPPED;
            }
        }
    }

    /** Ends attempt {@code attempt} of a running meeting leased to {@code owner} with {@code outcome}. */
    record FinishParams(String meetingId, String owner, int attempt, Outcome outcome, Instant now) {
        public FinishParams {
            Objects.requireNonNull(outcome, "outcome");
        }
    }

    /**
     * Gives a running meeting back without counting the attempt (a clean shutdown). Not an
     * {@link Outcome}: the attempt did not end, it is taken back as if never made (its row is
     * deleted, the attempt count goes back down), and it is guarded by the owner alone, since a
     * node gives back every meeting it holds, some of whose attempt numbers it never learnt (a claim
     * whose answer was lost with the connection).
     */
    record ReleaseParams(String meetingId, String owner, Instant now) {
    }

    /**
     * Takes back meetings whose lease expired before {@code now}; if {@code owner} is set, also that
     * owner's leases whatever their expiry (it is known to be dead). For each, {@code outcomes} (the
     * engine's retry policy) decides what becomes of it, and the store writes that through the same
     * guarded finish as {@link #meetingFinish}, the attempt closed as lost ({@link LostLease#failure()}).
     * The SQL decides nothing. A lost lease is not the meeting's fault: a retry after one uses none of
     * the meeting's attempts but counts as a lease lost in a row.
     */
    record ReapParams(Instant now, String owner, LostLeaseOutcomes outcomes) {
        public ReapParams {
            Objects.requireNonNull(now, "now");
            Objects.requireNonNull(outcomes, "outcomes");
        }
    }

    /**
     * A running meeting whose lease the reaper takes back. {@code lostInARow} counts this loss;
     * {@code attemptInRun} and {@code maxAttempts} are as {@link ClaimedMeeting}'s (the meeting's own
     * budget, kept on its row; null: the node's). {@code failure} is what its attempt log says: the
     * lease expired, or its worker stopped.
     */
    record LostLease(String meetingId, String owner, int attempt, int attemptInRun, Integer maxAttempts,
                     int lostInARow, Failure failure) {
    }

    /** What becomes of a meeting whose lease was lost: {@link Outcome#retryAt} or {@link Outcome#failed}. */
    @FunctionalInterface
    interface LostLeaseOutcomes {
        Outcome decide(LostLease lease, Instant now);
    }

    List<ClaimedMeeting> meetingsClaim(ClaimParams params);

    /** @return the ids whose lease was extended (the rest are lost). */
    Set<String> meetingsHeartbeat(HeartbeatParams params);

    /**
     * Writes how an attempt ended, closing it, guarded by the lease: only while the meeting is
     * running, leased to {@code owner}, on attempt {@code attempt}.
     *
     * @return false when the lease was lost (it expired and was reaped, the batch was cancelled, or
     *         another attempt holds the meeting now): nothing was written, and the result is dropped.
     */
    boolean meetingFinish(FinishParams params);

    /** @return false when the lease was lost: nothing was written. */
    boolean meetingTranscribed(TranscribedParams params);

    /** Since when the provider has refused this meeting with 429s without a break; empty when it is not refused. */
    Optional<Instant> meetingRateLimitedSince(String meetingId);

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
