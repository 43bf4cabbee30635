package io.minutes.core.port;

import io.minutes.core.domain.ClaimedMeeting;
import io.minutes.core.domain.Lane;
import io.minutes.core.port.MeetingQueue.Outcome;

import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Locale;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;

/**
 * The store as the batch lane sees it: meetings planned for a provider batch, packed into one under the
 * enqueued-token ledger, and the provider batch's life from the intent stored before any call to the
 * provider to its results collected. A meeting inside a provider batch is {@code waiting}: it has no lease;
 * the provider batch's row is what a node leases, so a node taking over an expired lease resumes that
 * provider batch from its stored state.
 *
 * <p>Operations are named entity + verb with one params record each. Implementations must pass
 * {@code ProviderBatchStoreContract} in minutes-store's tests.
 */
public interface ProviderBatchStore {

    /** intended -> staged -> created -> ended -> collected; cancelled (never created), failed (refused by the provider). */
    enum ProviderBatchState {
        INTENDED, STAGED, CREATED, ENDED, COLLECTED, CANCELLED, FAILED;

        /** While it holds its enqueued tokens of the ledger: from the intent until the provider ends it. */
        public boolean reserves() {
            return this == INTENDED || this == STAGED || this == CREATED;
        }

        /** Nothing more to do for it. */
        public boolean isFinal() {
            return this == COLLECTED || this == CANCELLED || this == FAILED;
        }

        public String wireName() {
            return name().toLowerCase(Locale.ROOT);
        }

        public static ProviderBatchState fromWire(String name) {
            return valueOf(name.toUpperCase(Locale.ROOT));
        }
    }

    /**
     * A provider batch as stored. {@code id} is our key, also sent to the provider. {@code counts}: the
     * provider's, last seen (null before the first poll); {@code remoteStatus}: its status then.
     */
    record ProviderBatch(String id, String provider, String model, ProviderBatchState state, String stagedRef,
                         String remoteId, int lines, long enqueuedTokens, ProviderBatches.Counts counts,
                         String remoteStatus, String failure, Instant intendedAt, Instant createdAt, Instant endedAt,
                         String leaseOwner, Instant leaseExpiresAt) {

        /**
         * As a status shows it: the provider's id (ours until it is created), the provider's status as last polled
         * (else our state: intended, staged), and its counts then (before the first poll: none done of its lines).
         */
        public io.minutes.core.domain.ProviderBatchProgress progress() {
            return new io.minutes.core.domain.ProviderBatchProgress(remoteId == null ? id : remoteId,
                    remoteStatus == null ? state.wireName() : remoteStatus, counts == null ? 0 : counts.done(),
                    counts == null ? lines : counts.total());
        }
    }

    /** Queued meetings planned for a provider batch and due at {@code now}: older batches first, each in input order. */
    record LaneDueParams(Instant now, int limit) {
    }

    /**
     * Plans queued meetings for {@code lane} (the batch lane gives back to realtime what it cannot send: a
     * cached answer, a transcript that needs parts, a sensitive meeting). Meetings not queued are left alone.
     */
    record LaneSetParams(Set<String> meetingIds, Lane lane, Instant now) {
        public LaneSetParams {
            meetingIds = Set.copyOf(meetingIds);
            Objects.requireNonNull(lane, "lane");
        }
    }

    /**
     * One meeting offered to a pack, with the prompt tokens its line reserves of the ledger and {@code maxCostUsd}, the
     * most its line may cost at the lane's price: what it reserves of its batch's budget, if the batch has one.
     */
    record PackLine(String meetingId, long inputTokens, double maxCostUsd) {
        /** A line that reserves nothing of a budget (its batch has none, or it costs nothing). */
        public PackLine(String meetingId, long inputTokens) {
            this(meetingId, inputTokens, 0);
        }
    }

    /**
     * Packs {@code lines} (in their order) into a new provider batch {@code id} of {@code provider} and
     * {@code model}, in one transaction serialised per provider and model (every node sharing the store
     * included): takes each line while its meeting is still queued for the batch lane and the ledger (the
     * enqueued tokens of this provider and model's provider batches that have not ended) plus it stays
     * within {@code enqueuedTokenLimit} (0: no limit); the meetings taken become waiting, their attempt
     * opened; the provider batch is stored intended, reserving their tokens, leased to {@code owner}.
     *
     * <p>Budgets, at the lane's price: a line of a batch with a budget reserves its {@link PackLine#maxCostUsd} of
     * it on the attempt it opens, in the same transaction and under the same lock as a realtime call's reservation
     * ({@link MeetingQueue#meetingBudgetReserve}), so the ledger is exact on every node. A line whose price does not
     * fit next to what the batch spent and reserved is not taken: its meeting is skipped with the
     * {@link io.minutes.core.domain.Budget#EXHAUSTED budget_exhausted} reason, as the realtime lane skips one, and
     * {@link Packed#refused()} says so. What a line reserved is released when its attempt ends (its line read, or the
     * line given back not run: {@link ProviderBatchReleaseParams}); the meeting then reserves again at the price of the
     * lane it is sent in next (realtime after a cut-over or a refusal: the list price).
     */
    record PackParams(String id, String provider, String model, List<PackLine> lines, long enqueuedTokenLimit,
                      String owner, Instant now, Duration lease) {
        public PackParams {
            lines = List.copyOf(lines);
        }
    }

    /**
     * What a pack stored: the provider batch and its meetings, in the order offered; {@code refused}: the meetings its
     * budget refused (skipped), with their skip reason, in the order offered.
     */
    record Packed(ProviderBatch batch, List<String> meetingIds, java.util.Map<String, String> refused) {
        public Packed {
            meetingIds = List.copyOf(meetingIds);
            refused = java.util.Collections.unmodifiableMap(new java.util.LinkedHashMap<>(refused));
        }

        public Packed(ProviderBatch batch, List<String> meetingIds) {
            this(batch, meetingIds, java.util.Map.of());
        }
    }

    /**
     * Records what happened to provider batch {@code id}, guarded by its lease ({@code owner}), and extends
     * the lease to {@code now + lease}. Fields left null are unchanged. Moving to a state that does not
     * {@link ProviderBatchState#reserves() reserve} releases its enqueued tokens from the ledger.
     */
    record ProviderBatchRecordParams(String id, String owner, ProviderBatchState state, String stagedRef,
                                     String remoteId, ProviderBatches.Counts counts, String remoteStatus,
                                     Instant createdAt, Instant endedAt, String failure, Instant now, Duration lease) {
        public ProviderBatchRecordParams {
            Objects.requireNonNull(state, "state");
        }

        /** Only the state (and the lease extended). */
        public static ProviderBatchRecordParams state(String id, String owner, ProviderBatchState state, Instant now,
                                                      Duration lease) {
            return new ProviderBatchRecordParams(id, owner, state, null, null, null, null, null, null, null, now, lease);
        }
    }

    /**
     * Leases to {@code owner} up to {@code limit} provider batches of {@code provider} and {@code model} that
     * are not final and whose lease expired before {@code now} (their node died), that {@code owner} holds, or
     * that {@code deadOwner} holds (a process of this machine known to be gone; null: none).
     */
    record ProviderBatchLeaseParams(String owner, String provider, String model, Instant now, Duration lease,
                                    int limit, String deadOwner) {
        public ProviderBatchLeaseParams(String owner, String provider, String model, Instant now, Duration lease, int limit) {
            this(owner, provider, model, now, lease, limit, null);
        }
    }

    /**
     * Writes how meeting {@code meetingId}'s line in provider batch {@code providerBatchId} ended: completed
     * (with {@code listCostUsd}, what the same usage costs in the realtime lane; its ran lane is batch),
     * retried (queued again) or failed. Guarded: only while the meeting is waiting in that provider batch,
     * so a line read twice (after a crash) finishes the meeting once, and a cancelled meeting stays cancelled.
     */
    record LineFinishParams(String meetingId, String providerBatchId, Outcome outcome, Double listCostUsd,
                            Instant now) {
        public LineFinishParams {
            Objects.requireNonNull(outcome, "outcome");
            if (outcome instanceof Outcome.Skipped) throw new IllegalArgumentException("a line is not skipped: " + outcome);
        }
    }

    /**
     * Gives the meetings still waiting in provider batch {@code id} back to the queue, due at {@code now},
     * without counting their attempt (lines not run: expired, cancelled, never created, missing from the
     * output): they are planned again.
     */
    record ProviderBatchReleaseParams(String id, Instant now) {
    }

    List<ClaimedMeeting> meetingsLaneDue(LaneDueParams params);

    /** @return how many meetings were planned for the lane. */
    int meetingsLaneSet(LaneSetParams params);

    /**
     * Empty when no line was taken and none refused (none still queued, or the ledger has no room): nothing was stored.
     * When the budget refused every line it was offered, {@link Packed#batch()} is null: no provider batch was stored.
     */
    Optional<Packed> providerBatchPack(PackParams params);

    /** @return false when {@code owner} does not hold the lease: nothing was written. */
    boolean providerBatchRecord(ProviderBatchRecordParams params);

    List<ProviderBatch> providerBatchesLease(ProviderBatchLeaseParams params);

    Optional<ProviderBatch> providerBatchGet(String id);

    /** Who holds the leases of this provider and model's provider batches that are not final. */
    Set<String> providerBatchOwners(String provider, String model);

    /** The meetings waiting in provider batch {@code id}, ordered by meeting id (its lines are rebuilt from them). */
    List<ClaimedMeeting> providerBatchMeetings(String id);

    /** @return false when the meeting was not waiting in that provider batch: nothing was written. */
    boolean meetingLineFinish(LineFinishParams params);

    /** @return how many meetings were queued again. */
    int providerBatchRelease(ProviderBatchReleaseParams params);

    /** The enqueued tokens this provider and model's provider batches reserve now (the ledger). */
    long providerBatchLedger(String provider, String model);

    /**
     * How long the latest {@code limit} provider batches of {@code provider} and {@code model} that ran their course
     * (completed or expired; not cancelled or refused) took from create to end, newest first: the lane planner's
     * batch latency.
     */
    record ProviderBatchDurationsParams(String provider, String model, int limit) {
    }

    List<Duration> providerBatchDurations(ProviderBatchDurationsParams params);
}
