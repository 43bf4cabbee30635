package io.minutes.core.port;

import io.minutes.core.domain.Analysis;
import io.minutes.core.domain.AudioRef;
import io.minutes.core.domain.Batch;
import io.minutes.core.domain.ClaimedMeeting;
import io.minutes.core.domain.Failure;
import io.minutes.core.domain.Meeting;
import io.minutes.core.domain.OnDuplicate;
import io.minutes.core.domain.Priority;
import io.minutes.core.domain.Submission;
import io.minutes.core.domain.Tier;
import io.minutes.core.domain.Transcript;
import io.minutes.core.domain.TranscriptionUsage;
import io.minutes.core.domain.Usage;
import io.minutes.core.domain.BatchCounts;
import io.minutes.core.domain.Budget;
import io.minutes.core.domain.MeetingState;

import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;

/**
 * The store is the queue: batches, meetings, their attempts and leases. Every write that finishes
 * an attempt is guarded by the lease: a node that lost its lease (it expired and someone else took
 * the meeting) gets {@code false} and must drop its result.
 *
 * <p>Operations are named entity + verb with one params record each. Implementations must pass
 * {@code MeetingStoreContract} in minutes-store's tests.
 */
public interface MeetingStore extends AutoCloseable {

    /**
     * A meeting to store with its batch. Exactly one of transcript / audio / skipReason / failure is set.
     * An audio meeting's {@code contentHash} is the SHA-256 of the recording's bytes. {@code titled} is
     * false when the title was made up for a meeting given without one ("Meeting 2"): such a title says
     * nothing about the meeting, so it is not compared when deduplicating.
     */
    record NewMeeting(String source, String title, String contentHash, Transcript transcript,
                      String skipReason, Failure failure, AudioRef audio, boolean titled) {
        public NewMeeting(String source, String title, String contentHash, Transcript transcript,
                          String skipReason, Failure failure, AudioRef audio) {
            this(source, title, contentHash, transcript, skipReason, failure, audio, true);
        }

        public NewMeeting(String source, String title, String contentHash, Transcript transcript,
                          String skipReason, Failure failure) {
            this(source, title, contentHash, transcript, skipReason, failure, null);
        }

        /** The same meeting, its title made up rather than given. */
        public NewMeeting untitled() {
            return new NewMeeting(source, title, contentHash, transcript, skipReason, failure, audio, false);
        }

        public static NewMeeting ready(String source, String title, String contentHash, Transcript transcript) {
            return new NewMeeting(source, title, contentHash, transcript, null, null);
        }

        /** A recording kept in the BlobStore under {@code blobKey}, to be transcribed first. */
        public static NewMeeting audio(String source, String title, String contentHash, String blobKey, String mediaType) {
            return new NewMeeting(source, title, contentHash, null, null, null, new AudioRef(blobKey, mediaType));
        }

        public static NewMeeting skipped(String source, String title, String reason) {
            return new NewMeeting(source, title, null, null, reason, null);
        }

        public static NewMeeting unreadable(String source, String title, Failure failure) {
            return new NewMeeting(source, title, null, null, null, failure);
        }
    }

    /**
     * Meetings are stored in list order; that order is the batch's input order. {@code priority}
     * weighs the batch's share of the claims. Deduplication is decided here, in the same transaction,
     * against this batch's earlier meetings and the earlier batches of the same tenant (see
     * {@link BatchSubmitParams}; a batch stored here has none, as every batch the CLI makes) answered by
     * the same {@code analyzer}: a meeting to be processed duplicates one that is queued, running or
     * completed (and neither a duplicate nor replaced itself) with the same content hash, or the same
     * given title ({@link NewMeeting#titled()}) in the same {@code tier}; see
     * {@link OnDuplicate}. Without {@code onDuplicate} (the short constructors) nothing is deduplicated.
     * {@code budgetUsd} is the most the batch may cost (null: no limit), held by
     * {@link #meetingBudgetReserve}. {@code analyzer} says who answers it (provider, model, analysis
     * version, redaction: {@link io.minutes.core.engine.CachingAnalyzer#analyzerIdentity}): a meeting
     * duplicates only meetings of batches with the same analyzer (null only matches null).
     */
    record BatchCreateParams(String runKey, String provider, Instant now, List<NewMeeting> meetings,
                             Priority priority, OnDuplicate onDuplicate, Tier tier, Double budgetUsd, String analyzer) {
        public BatchCreateParams {
            Objects.requireNonNull(priority, "priority");
            Objects.requireNonNull(onDuplicate, "onDuplicate");
            Objects.requireNonNull(tier, "tier");
            if (budgetUsd != null && (!(budgetUsd >= 0) || budgetUsd.isInfinite())) {
                throw new IllegalArgumentException("a budget must be 0 or more USD, got " + budgetUsd);
            }
        }

        /** Without an analyzer identity. */
        public BatchCreateParams(String runKey, String provider, Instant now, List<NewMeeting> meetings,
                                 Priority priority, OnDuplicate onDuplicate, Tier tier, Double budgetUsd) {
            this(runKey, provider, now, meetings, priority, onDuplicate, tier, budgetUsd, null);
        }

        /** Without a budget. */
        public BatchCreateParams(String runKey, String provider, Instant now, List<NewMeeting> meetings,
                                 Priority priority, OnDuplicate onDuplicate, Tier tier) {
            this(runKey, provider, now, meetings, priority, onDuplicate, tier, null);
        }

        public BatchCreateParams(String runKey, String provider, Instant now, List<NewMeeting> meetings,
                                 Priority priority) {
            this(runKey, provider, now, meetings, priority, OnDuplicate.ALLOW_DUPLICATES, Tier.ORDINARY);
        }

        public BatchCreateParams(String runKey, String provider, Instant now, List<NewMeeting> meetings) {
            this(runKey, provider, now, meetings, Priority.NORMAL);
        }
    }

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
     * What {@link #meetingBudgetReserve} decided: {@code budget} is the batch's as it stood when
     * asked (empty when the batch has no budget, which grants everything). Not granted when the
     * budget could not take it, or when the attempt is no longer open (its lease was lost).
     */
    record Reservation(boolean granted, Optional<Budget> budget) {
    }

    /** Sets (or, with null, removes) a batch's budget: a user who runs a batch again with another --budget. */
    record BatchBudgetParams(String batchId, Double budgetUsd) {
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
            return new Completed(analysis, usage == null ? Usage.NONE : usage);
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

        record Completed(Analysis analysis, Usage usage) implements Outcome {
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

    /** Queues the failed and cancelled meetings of a batch again, for a user who runs it again. */
    record RequeueParams(String batchId, Instant now) {
    }

    /** Finished batches whose last meeting finished (or, with none, that were submitted) before {@code finishedBefore}. */
    record PurgeParams(Instant finishedBefore) {
    }

    /** What a purge removed: how many batches, and the recordings no remaining meeting refers to. */
    record Purged(int batches, Set<String> unreferencedBlobKeys) {
    }

    Batch batchCreate(BatchCreateParams params);

    /**
     * The state each meeting of the batch would have if it were submitted now, in input order:
     * {@code queued} (it would be processed), {@code skipped} (a duplicate, or too short) or
     * {@code failed} (unreadable). Stores nothing: an estimate made before a batch is accepted counts
     * only what would be sent. For a batch the CLI makes, give a submission with a null tenant.
     */
    List<MeetingState> batchPreview(BatchSubmitParams params);

    /** The batch's budget and where it stands, if it has one. */
    Optional<Budget> batchBudget(String batchId);

    void batchBudgetSet(BatchBudgetParams params);

    Reservation meetingBudgetReserve(BudgetReserveParams params);

    /** Deletes finished batches with their meetings and attempts (retention); running batches are never touched. */
    Purged batchesPurge(PurgeParams params);

    Optional<Batch> batchGet(String batchId);

    /** The newest batch created with this run key, if any. */
    Optional<Batch> batchFindByRunKey(String runKey);

    /** The batch's meetings in input order, with their attempts. */
    List<Meeting> meetingsList(String batchId);

    /**
     * Up to {@code limit} of the batch's meetings after input index {@code afterIndex} (-1: from the
     * start), in input order, with their attempts: {@link #meetingsList} a page at a time, so reading
     * a 100,000-meeting batch does not hold it all in memory.
     */
    List<Meeting> meetingsPage(MeetingsPageParams params);

    record MeetingsPageParams(String batchId, int afterIndex, int limit) {
        public MeetingsPageParams {
            if (limit <= 0) throw new IllegalArgumentException("limit must be positive, got " + limit);
        }
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

    /** @return how many meetings were queued again. */
    int meetingsRequeue(RequeueParams params);

    /** Distinct owners holding running leases now; lets a node spot leases of a dead local process. */
    Set<String> leaseOwners();

    /** The ids of the running meetings {@code owner} holds a lease on. */
    Set<String> meetingsHeldBy(String owner);

    /** When the earliest queued meeting becomes due, if any is queued. */
    Optional<Instant> nextDueAt();

    /**
     * Proves the store can be written now: takes its write lock and runs a write that changes no row.
     * Throws (as every operation does on failure) when it cannot: a read-only database or standby,
     * another writer holding the lock past the wait, a closed or unreachable store. Readiness checks use it.
     */
    void checkWritable();

    // ---- the HTTP service's operations -----------------------------------------------------------

    /**
     * A batch stored with its submission in one transaction. {@code tiers} holds one tier per
     * meeting, in the meetings' order (a meeting is sensitive when its tier or the batch's is). Its
     * meetings are deduplicated against the batches of {@code submission.tenant()} only: one tenant's
     * meetings never point to another's. Batches without a tenant (no API keys, and the CLI's) are
     * deduplicated among themselves.
     */
    record BatchSubmitParams(BatchCreateParams batch, Submission submission, List<Tier> tiers) {
        public BatchSubmitParams {
            if (tiers.size() != batch.meetings().size()) {
                throw new IllegalArgumentException(tiers.size() + " tiers for " + batch.meetings().size() + " meetings");
            }
        }
    }

    /** Newest first; {@code tenant} null lists every batch; {@code before} a batch id to page after, or null. */
    record BatchPageParams(String tenant, String before, int limit) {
    }

    /** Cancels the batch's queued and running meetings (a running one's outcome is then dropped). */
    record BatchCancelParams(String batchId, Instant now) {
    }

    /**
     * Stores an API key's hash for a tenant. The first key's tenant also becomes the owner of every batch
     * stored before it (submitted without a key, or made by {@code minutes run}), which would otherwise
     * be visible to no tenant.
     */
    record ApiKeyCreateParams(String tenant, String keyHash, Instant now) {
    }

    /** A stored API key: its hash (the key itself is never stored), whose it is, and since when. */
    record ApiKey(String keyHash, String tenant, Instant createdAt) {
    }

    /** Removes the key with this hash: requests with it are refused from then on. */
    record ApiKeyRevokeParams(String keyHash) {
    }

    /** A stored meeting with its transcript (null for meetings that never got past ingest) and tier. */
    record MeetingDetail(Meeting meeting, Transcript transcript, Tier tier) {
    }

    Batch batchSubmit(BatchSubmitParams params);

    /** The submission of a batch stored by {@link #batchSubmit}; empty for batches the CLI made. */
    Optional<Submission> submissionGet(String batchId);

    List<Batch> batchPage(BatchPageParams params);

    /** {@link #meetingsList} without analyses and attempts: the light read a status poll needs. */
    List<Meeting> meetingsBrief(String batchId);

    /** @return how many meetings were cancelled. */
    int batchCancel(BatchCancelParams params);

    /** Queues the failed meetings of a batch again (not the cancelled ones); @return how many. */
    int meetingsRetryFailed(RequeueParams params);

    Optional<MeetingDetail> meetingGet(String meetingId);

    /** Meetings in each state and their usage across every batch: the service's queue depth, capacity and spend. */
    record Totals(BatchCounts counts, Usage usage) {
    }

    Totals countsAll();

    void apiKeyCreate(ApiKeyCreateParams params);

    /** The tenant whose key has this hash. */
    Optional<String> apiKeyTenant(String keyHash);

    int apiKeysCount();

    /** The title of a batch's first meeting, or its file name when it has no title; empty for an unknown batch. */
    Optional<String> batchFirstTitle(String batchId);

    /** Every API key, oldest first. */
    List<ApiKey> apiKeysList();

    /** @return whether a key was removed (false: no key has that hash) */
    boolean apiKeyRevoke(ApiKeyRevokeParams params);

    @Override
    void close();
}
