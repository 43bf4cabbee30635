package io.minutes.core.port;

import io.minutes.core.domain.AudioRef;
import io.minutes.core.domain.Batch;
import io.minutes.core.domain.Budget;
import io.minutes.core.domain.Failure;
import io.minutes.core.domain.Lane;
import io.minutes.core.domain.Meeting;
import io.minutes.core.domain.MeetingState;
import io.minutes.core.domain.OnDuplicate;
import io.minutes.core.domain.Priority;
import io.minutes.core.domain.Submission;
import io.minutes.core.domain.Tier;
import io.minutes.core.domain.Transcript;

import java.time.Instant;
import java.time.LocalDate;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;

/**
 * The store as the batch use cases see it (the CLI's run and estimate, the HTTP API, retention):
 * storing a batch with its meetings, previewing one, reading, cancelling, queueing again, budgets,
 * purging. A write that queues meetings is announced to every node's idle dispatchers by the store
 * once it has committed.
 *
 * <p>Operations are named entity + verb with one params record each. Implementations must pass
 * {@code MeetingStoreContract} in minutes-store's tests.
 */
public interface BatchStore extends BatchLookup {

    /**
     * A meeting to store with its batch. Exactly one of transcript / audio / skipReason / failure is set.
     * An audio meeting's {@code contentHash} is the SHA-256 of the recording's bytes. {@code titled} is
     * false when the title was made up for a meeting given without one ("Meeting 2"): such a title says
     * nothing about the meeting, so it is not compared when deduplicating. {@code date}: the day it took place
     * when the submitter gave it or the file's metadata carries it (null: unknown here; a date in its name is still
     * read when it is analysed, {@link Meeting#meetingDate}).
     */
    record NewMeeting(String source, String title, String contentHash, Transcript transcript,
                      String skipReason, Failure failure, AudioRef audio, boolean titled, LocalDate date) {
        /** The same meeting, its title made up rather than given. */
        public NewMeeting untitled() {
            return new NewMeeting(source, title, contentHash, transcript, skipReason, failure, audio, false, date);
        }

        /** The same meeting, taking place on {@code day} (null: unknown). */
        public NewMeeting dated(LocalDate day) {
            return new NewMeeting(source, title, contentHash, transcript, skipReason, failure, audio, titled, day);
        }

        public static NewMeeting ready(String source, String title, String contentHash, Transcript transcript) {
            return new NewMeeting(source, title, contentHash, transcript, null, null, null, true, null);
        }

        /** A recording kept in the BlobStore under {@code blobKey}, to be transcribed first. */
        public static NewMeeting audio(String source, String title, String contentHash, String blobKey, String mediaType) {
            return new NewMeeting(source, title, contentHash, null, null, null, new AudioRef(blobKey, mediaType), true, null);
        }

        public static NewMeeting skipped(String source, String title, String reason) {
            return new NewMeeting(source, title, null, null, reason, null, null, true, null);
        }

        public static NewMeeting unreadable(String source, String title, Failure failure) {
            return new NewMeeting(source, title, null, null, null, failure, null, true, null);
        }
    }

    /**
     * Meetings are stored in list order; that order is the batch's input order. {@code priority}
     * weighs the batch's share of the claims. Deduplication is decided here, in the same transaction,
     * against this batch's earlier meetings and the earlier batches of the same tenant (the
     * {@code submission}'s; a batch without one, as every batch the CLI makes, has none) answered by
     * the same {@code analyzer}: a meeting to be processed duplicates one that is queued, running or
     * completed (and neither a duplicate nor replaced itself) with the same content hash, or the same
     * given title ({@link NewMeeting#titled()}) in the same {@code tier}; see
     * {@link OnDuplicate}. With {@link OnDuplicate#ALLOW_DUPLICATES} nothing is deduplicated.
     * {@code budgetUsd} is the most the batch may cost (null: no limit), held by
     * {@link MeetingQueue#meetingBudgetReserve}. {@code analyzer} says who answers it (provider, model, analysis
     * version, redaction: {@link io.minutes.core.engine.CachingAnalyzer#analyzerIdentity}): a meeting
     * duplicates only meetings of batches with the same analyzer (null only matches null).
     *
     * <p>{@code submission} (null for the CLI's batches) is stored with the batch, in the same
     * transaction: what the HTTP service was asked. Its meetings are then deduplicated against the batches of
     * {@code submission.tenant()} only: one tenant's meetings never point to another's. Batches without
     * a tenant (no API keys, and the CLI's) are deduplicated among themselves. {@code tiers} holds one
     * tier per meeting, in the meetings' order (a meeting is sensitive when its tier or the batch's is),
     * or is null when every meeting has the batch's tier. {@code lane}: where its meetings are planned to be
     * sent (realtime: claimed by the dispatcher; batch: packed into provider batches by the batch lane).
     */
    record BatchCreateParams(String runKey, String provider, Instant now, List<NewMeeting> meetings,
                             Priority priority, OnDuplicate onDuplicate, Tier tier, Double budgetUsd, String analyzer,
                             Submission submission, List<Tier> tiers, Lane lane) {
        public BatchCreateParams {
            lane = lane == null ? Lane.REALTIME : lane;
            Objects.requireNonNull(priority, "priority");
            Objects.requireNonNull(onDuplicate, "onDuplicate");
            Objects.requireNonNull(tier, "tier");
            if (budgetUsd != null && (!(budgetUsd >= 0) || budgetUsd.isInfinite())) {
                throw new IllegalArgumentException("a budget must be 0 or more USD, got " + budgetUsd);
            }
            if (tiers != null && tiers.size() != meetings.size()) {
                throw new IllegalArgumentException(tiers.size() + " tiers for " + meetings.size() + " meetings");
            }
        }

        /** Every meeting planned for the realtime lane. */
        public BatchCreateParams(String runKey, String provider, Instant now, List<NewMeeting> meetings,
                                 Priority priority, OnDuplicate onDuplicate, Tier tier, Double budgetUsd, String analyzer,
                                 Submission submission, List<Tier> tiers) {
            this(runKey, provider, now, meetings, priority, onDuplicate, tier, budgetUsd, analyzer, submission, tiers,
                    Lane.REALTIME);
        }

        /** The same batch, stored with {@code submission} and these tiers (null: the batch's). */
        public BatchCreateParams withSubmission(Submission submission, List<Tier> tiers) {
            return new BatchCreateParams(runKey, provider, now, meetings, priority, onDuplicate, tier, budgetUsd, analyzer,
                    submission, tiers, lane);
        }

        /** The same batch, its meetings to be processed planned for {@code lane}. */
        public BatchCreateParams withLane(Lane lane) {
            return new BatchCreateParams(runKey, provider, now, meetings, priority, onDuplicate, tier, budgetUsd, analyzer,
                    submission, tiers, lane);
        }
    }

    /** Sets (or, with null, removes) a batch's budget: a user who runs a batch again with another --budget. */
    record BatchBudgetParams(String batchId, Double budgetUsd) {
    }

    /** Sets (or, with null, removes) when a batch must be done by ({@code --deadline}, {@code options.deadline}). */
    record BatchDeadlineParams(String batchId, Instant deadline) {
    }

    /** A batch's deadline and when the batch was submitted (its cut-over's buffer is a share of the time between). */
    record BatchDeadline(Instant deadline, Instant submittedAt) {
    }

    /**
     * Queues the meetings of a batch that ended in one of {@code states} again: the failed ones (a retry
     * asked for through the API), or the failed and the cancelled ones (a user who runs the batch again).
     * Meetings that failed at ingest have nothing to run again and stay.
     */
    record RequeueParams(String batchId, Set<MeetingState> states, Instant now) {
        private static final Set<MeetingState> FAILED = Set.of(MeetingState.FAILED);
        private static final Set<MeetingState> FAILED_AND_CANCELLED = Set.of(MeetingState.FAILED, MeetingState.CANCELLED);

        public RequeueParams {
            states = Set.copyOf(states);
            if (!states.equals(FAILED) && !states.equals(FAILED_AND_CANCELLED)) {
                throw new IllegalArgumentException("the failed meetings, or the failed and the cancelled ones, go back to "
                        + "the queue; not " + states);
            }
        }

        public static RequeueParams failed(String batchId, Instant now) {
            return new RequeueParams(batchId, FAILED, now);
        }

        public static RequeueParams failedAndCancelled(String batchId, Instant now) {
            return new RequeueParams(batchId, FAILED_AND_CANCELLED, now);
        }
    }

    /** Finished batches whose last meeting finished (or, with none, that were submitted) before {@code finishedBefore}. */
    record PurgeParams(Instant finishedBefore) {
    }

    /** What a purge removed: how many batches, and the recordings no remaining meeting refers to. */
    record Purged(int batches, Set<String> unreferencedBlobKeys) {
    }

    record MeetingsPageParams(String batchId, int afterIndex, int limit) {
        public MeetingsPageParams {
            if (limit <= 0) throw new IllegalArgumentException("limit must be positive, got " + limit);
        }
    }

    /** Newest first; {@code tenant} null lists every batch; {@code before} a batch id to page after, or null. */
    record BatchPageParams(String tenant, String before, int limit) {
    }

    /** Cancels the batch's queued and running meetings (a running one's outcome is then dropped). */
    record BatchCancelParams(String batchId, Instant now) {
    }

    /**
     * A batch as a status read shows it, every part read in one snapshot: the batch with its counts, its
     * {@code submission} (null for batches the CLI made), its {@code budget} (null when it has none), its
     * meetings as {@link #meetingsBrief} reads them, in input order, its {@code deadline} (null: none) and the
     * {@code providerBatches} that hold or answered its meetings (the batch lane), as last polled, oldest first.
     */
    record BatchView(Batch batch, Submission submission, Budget budget, List<Meeting> meetings, BatchDeadline deadline,
                     List<ProviderBatchStore.ProviderBatch> providerBatches) {
        public BatchView {
            Objects.requireNonNull(batch, "batch");
            meetings = List.copyOf(meetings);
            providerBatches = List.copyOf(providerBatches);
        }

        /** Without a deadline or provider batches. */
        public BatchView(Batch batch, Submission submission, Budget budget, List<Meeting> meetings) {
            this(batch, submission, budget, meetings, null, List.of());
        }
    }

    Batch batchCreate(BatchCreateParams params);

    /**
     * The state each meeting of the batch would have if it were submitted now, in input order:
     * {@code queued} (it would be processed), {@code skipped} (a duplicate, or too short) or
     * {@code failed} (unreadable). Stores nothing: an estimate made before a batch is accepted counts
     * only what would be sent. For a batch the CLI makes, give a submission with a null tenant.
     */
    List<MeetingState> batchPreview(BatchCreateParams params);

    /** The batch's budget and where it stands, if it has one. */
    Optional<Budget> batchBudget(String batchId);

    void batchBudgetSet(BatchBudgetParams params);

    /** The batch's deadline, if it has one. */
    Optional<BatchDeadline> batchDeadline(String batchId);

    void batchDeadlineSet(BatchDeadlineParams params);

    /** Deletes finished batches with their meetings and attempts (retention); running batches are never touched. */
    Purged batchesPurge(PurgeParams params);

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

    /** @return how many meetings were queued again. */
    int meetingsRequeue(RequeueParams params);

    /** The submission of a batch stored by {@link #batchCreate} with one; empty for batches the CLI made. */
    Optional<Submission> submissionGet(String batchId);

    List<Batch> batchPage(BatchPageParams params);

    /** {@link #meetingsList} without analyses and attempts: the light read a status poll needs. */
    List<Meeting> meetingsBrief(String batchId);

    /** The batch, its submission, budget and brief meetings in one read that sees one snapshot; empty for an unknown batch. */
    Optional<BatchView> batchView(String batchId);

    /** @return how many meetings were cancelled. */
    int batchCancel(BatchCancelParams params);

    /** The title of a batch's first meeting, or its file name when it has no title; empty for an unknown batch. */
    Optional<String> batchFirstTitle(String batchId);
}
