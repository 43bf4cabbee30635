package io.minutes.core.testing;

import io.minutes.core.domain.Analysis;
import io.minutes.core.domain.Attempt;
import io.minutes.core.domain.AudioRef;
import io.minutes.core.domain.Batch;
import io.minutes.core.domain.BatchCounts;
import io.minutes.core.domain.Budget;
import io.minutes.core.domain.ClaimedMeeting;
import io.minutes.core.domain.Failure;
import io.minutes.core.domain.Lane;
import io.minutes.core.domain.Meeting;
import io.minutes.core.domain.MeetingState;
import io.minutes.core.domain.OnDuplicate;
import io.minutes.core.domain.Priority;
import io.minutes.core.domain.Submission;
import io.minutes.core.style.MinutesStyle;
import io.minutes.core.domain.Tier;
import io.minutes.core.domain.Transcript;
import io.minutes.core.domain.TranscriptionUsage;
import io.minutes.core.domain.Usage;
import io.minutes.core.port.MeetingStore;
import io.minutes.core.port.ProviderBatches;
import io.minutes.core.port.RateWindows;
import io.minutes.core.port.ResultCache;
import io.minutes.core.port.StoreEvents;

import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.locks.ReentrantLock;
import java.util.function.Supplier;

/**
 * A {@link MeetingStore} (with its {@link ResultCache} and {@link RateWindows}) held in memory, with the
 * semantics of the SQL stores: fair, priority-weighted claims in input order, leases and the lease guard
 * on every finish, deduplication within a tenant and analyzer, budgets, retention, requeue, API keys, and
 * queued work announced on its {@link StoreEvents} once a write is done. It passes the store contract
 * suites of minutes-store (jobrunr's {@code InMemoryStorageProvider}).
 *
 * <p>For tests only (the engine's own, and the contracts), never production: nothing survives the
 * process, and every operation runs under one lock, which is its whole transaction model. Two nodes on
 * one database are two stores sharing one state ({@link #anotherNode}).
 */
public final class InMemoryMeetingStore implements MeetingStore, ResultCache, RateWindows {

    /** What the SQL stores say when a lease runs out (JdbcMeetingStore.LEASE_EXPIRED). */
    public static final String LEASE_EXPIRED =
            "lease expired: no heartbeat from the worker holding this meeting for a whole lease "
                    + "(it stopped, or was paused or cut off from the database for that long)";
    /** What the SQL stores say when the holder is known to be dead (JdbcMeetingStore.WORKER_STOPPED). */
    public static final String WORKER_STOPPED =
            "the worker holding this meeting stopped (its process is gone: crashed or was killed)";

    private final State state;
    private final StoreEvents events;
    private volatile boolean closed;

    /** An empty store announcing the work it queues on {@code events}. */
    public InMemoryMeetingStore(StoreEvents events) {
        this(new State(), events);
    }

    private InMemoryMeetingStore(State state, StoreEvents events) {
        this.state = state;
        this.events = Objects.requireNonNull(events, "events");
    }

    /** A second store on the same data, as another node (or process) on one database sees it. */
    public InMemoryMeetingStore anotherNode(StoreEvents events) {
        return new InMemoryMeetingStore(state, events);
    }

    @Override
    public void close() {
        closed = true;
    }

    // ---- the data and its one lock ---------------------------------------------------------------

    private static final class State {
        final ReentrantLock lock = new ReentrantLock();
        final Map<String, BatchRow> batches = new LinkedHashMap<>();
        final Map<String, MeetingRow> meetings = new LinkedHashMap<>();
        final Map<String, ApiKey> apiKeys = new LinkedHashMap<>();
        final Map<List<String>, Analysis> results = new HashMap<>();
        /** By provider and model. */
        final Map<List<String>, Instant> perSecondLearned = new HashMap<>();
        final Map<String, ProviderBatch> providerBatches = new LinkedHashMap<>();
        long sequence;

        /** Time-sortable ids, as the SQL stores make them: a prefix, the creation time, then a sequence. */
        String nextId(String prefix, Instant now) {
            return String.format("%s%013d%08d", prefix, now.toEpochMilli(), ++sequence);
        }
    }

    private static final class BatchRow {
        final String id;
        final String runKey;
        final String provider;
        final Instant submittedAt;
        final Priority priority;
        final Tier tier;
        final String analyzer;
        final List<MeetingRow> meetings = new ArrayList<>();
        Double budgetUsd;
        Instant deadline;
        SubmissionRow submission;

        BatchRow(String id, BatchCreateParams params) {
            this.id = id;
            this.runKey = params.runKey();
            this.provider = params.provider();
            this.submittedAt = params.now();
            this.priority = params.priority();
            this.tier = params.tier();
            this.analyzer = params.analyzer();
            this.budgetUsd = params.budgetUsd();
        }

        String tenant() {
            return submission == null ? null : submission.tenant;
        }
    }

    /** A submission as stored: its budget is the batch's. */
    private static final class SubmissionRow {
        String tenant;
        final OnDuplicate onDuplicate;
        final String priority;
        final Integer maxAttempts;
        final boolean allowOverBudget;
        /** The style and lane asked for (as the SQL stores read them back: the meetings' style, the submission's lane). */
        io.minutes.core.style.MinutesStyle style;
        io.minutes.core.lane.LaneChoice lane;

        SubmissionRow(String tenant, OnDuplicate onDuplicate, String priority, Integer maxAttempts, boolean allowOverBudget) {
            this.tenant = tenant;
            this.onDuplicate = onDuplicate;
            this.priority = priority;
            this.maxAttempts = maxAttempts;
            this.allowOverBudget = allowOverBudget;
        }
    }

    private static final class AttemptRow {
        final int number;
        final Instant startedAt;
        Instant finishedAt;
        Failure failure;
        double reservedUsd;

        AttemptRow(int number, Instant startedAt) {
            this.number = number;
            this.startedAt = startedAt;
        }

        boolean open() {
            return finishedAt == null;
        }

        Attempt attempt() {
            return new Attempt(number, startedAt, finishedAt, failure);
        }
    }

    private static final class MeetingRow {
        String id;
        String batchId;
        int index;
        String source;
        String title;
        String contentHash;
        MeetingState state;
        int attemptCount;
        int attemptBase;
        Instant notBefore;
        Transcript transcript;
        AudioRef audio;
        String skipReason;
        Failure failure;
        Analysis analysis;
        Long inputTokens;
        Long outputTokens;
        Double costUsd;
        Instant completedAt;
        TranscriptionUsage transcription;
        String duplicateOf;
        String replacedBy;
        Tier tier;
        Integer maxAttempts;
        MinutesStyle style;
        LocalDate date;
        String leaseOwner;
        Instant leaseExpiresAt;
        Instant rateLimitedSince;
        int leasesLostInARow;
        Instant createdAt;
        long sequence;
        Instant updatedAt;
        Lane lane = Lane.REALTIME;
        Lane ranLane;
        Double listCostUsd;
        String providerBatch;
        final List<AttemptRow> attempts = new ArrayList<>();

        MeetingRow copy() {
            MeetingRow c = new MeetingRow();
            c.id = id; c.batchId = batchId; c.index = index; c.source = source; c.title = title;
            c.contentHash = contentHash; c.state = state; c.attemptCount = attemptCount; c.attemptBase = attemptBase;
            c.notBefore = notBefore; c.transcript = transcript; c.audio = audio; c.skipReason = skipReason;
            c.failure = failure; c.analysis = analysis; c.inputTokens = inputTokens; c.outputTokens = outputTokens;
            c.costUsd = costUsd; c.completedAt = completedAt; c.transcription = transcription;
            c.duplicateOf = duplicateOf; c.replacedBy = replacedBy; c.tier = tier; c.maxAttempts = maxAttempts;
            c.style = style; c.date = date;
            c.leaseOwner = leaseOwner; c.leaseExpiresAt = leaseExpiresAt; c.rateLimitedSince = rateLimitedSince;
            c.leasesLostInARow = leasesLostInARow; c.createdAt = createdAt; c.sequence = sequence; c.updatedAt = updatedAt;
            c.lane = lane; c.ranLane = ranLane; c.listCostUsd = listCostUsd; c.providerBatch = providerBatch;
            return c;
        }

        /** Puts back the fields {@link #copy} took (the attempts are not touched by what is undone). */
        void restore(MeetingRow from) {
            state = from.state; skipReason = from.skipReason; notBefore = from.notBefore;
            replacedBy = from.replacedBy; updatedAt = from.updatedAt;
        }

        boolean heldBy(String owner, int attempt) {
            return state == MeetingState.RUNNING && Objects.equals(leaseOwner, owner) && attemptCount == attempt;
        }

        Usage usageOrZero() {
            return new Usage(inputTokens == null ? 0 : inputTokens, outputTokens == null ? 0 : outputTokens,
                    costUsd == null ? 0.0 : costUsd);
        }

        void endLease(Instant now) {
            leaseOwner = null;
            leaseExpiresAt = null;
            updatedAt = now;
        }
    }

    private <T> T locked(Supplier<T> work) {
        if (closed) throw new IllegalStateException("the in-memory store is closed");
        state.lock.lock();
        try {
            return work.get();
        } finally {
            state.lock.unlock();
        }
    }

    private void lockedRun(Runnable work) {
        locked(() -> {
            work.run();
            return null;
        });
    }

    /** Announced after the lock is let go, as the SQL stores announce after their commit. */
    private <T> T announcing(T result, boolean queuedAny) {
        if (queuedAny) events.workAdded();
        return result;
    }

    /** A failure as the SQL stores give it back: its kind, message and retry-after in milliseconds. */
    private static Failure stored(Failure failure) {
        if (failure == null) return null;
        Duration retryAfter = failure.retryAfter() == null ? null : Duration.ofMillis(failure.retryAfter().toMillis());
        return new Failure(Failure.Cause.unspecified(failure.kind()), failure.message(), retryAfter);
    }

    // ---- batches -------------------------------------------------------------------------------

    @Override
    public Batch batchCreate(BatchCreateParams params) {
        Batch batch = locked(() -> batchOf(insertBatch(params, null)));
        return announcing(batch, batch.counts().queued() > 0);
    }

    @Override
    public List<MeetingState> batchPreview(BatchCreateParams params) {
        return locked(() -> {
            List<Runnable> undo = new ArrayList<>();
            try {
                return insertBatch(params, undo).meetings.stream().map(m -> m.state).toList();
            } finally {
                for (Runnable step : undo.reversed()) step.run();
            }
        });
    }

    /** Inserts the batch, its submission and its meetings, deduplicated; {@code undo} (or null) collects how to take it back. */
    private BatchRow insertBatch(BatchCreateParams params, List<Runnable> undo) {
        BatchRow batch = new BatchRow(state.nextId("batch_", params.now()), params);
        Submission submission = params.submission();
        if (submission != null) {
            batch.submission = new SubmissionRow(submission.tenant(), submission.onDuplicate(), submission.priority(),
                    submission.maxAttempts(), submission.allowOverBudget());
            batch.submission.lane = submission.lane();
            io.minutes.core.style.MinutesStyle style = submission.style();
            // as stored on each meeting: an auto language and template are none
            batch.submission.style = style == null || style.language().isAuto() && style.templateIsAuto() ? null : style;
        }
        state.batches.put(batch.id, batch);
        if (undo != null) undo.add(() -> state.batches.remove(batch.id));
        String tenant = batch.tenant();
        Integer maxAttempts = submission == null ? null : submission.maxAttempts();
        int index = 0;
        for (NewMeeting meeting : params.meetings()) {
            MeetingRow row = newMeeting(batch, index, meeting, tierOf(params, index), maxAttempts, params.now());
            row.style = submission == null ? null : submission.style();
            row.date = meeting.date();
            row.lane = params.lane();
            boolean toProcess = row.state == MeetingState.QUEUED;
            if (toProcess && params.onDuplicate() == OnDuplicate.SKIP) {
                original(meeting, row.tier, tenant, params.analyzer(), meeting.titled() ? meeting.title() : null)
                        .ifPresent(o -> {
                            row.state = MeetingState.SKIPPED;
                            row.notBefore = null;
                            row.duplicateOf = o.id;
                            row.skipReason = "duplicate of " + o.source + " (meeting " + o.id + ", batch " + o.batchId
                                    + "): shows its result, no provider called";
                        });
            } else if (toProcess && params.onDuplicate() == OnDuplicate.REPLACE) {
                Optional<MeetingRow> original = original(meeting, row.tier, tenant, params.analyzer(),
                        meeting.titled() ? meeting.title() : null);
                if (original.isPresent()) {
                    markReplaced(original.get(), row, batch, params.now(), undo);
                    if (meeting.contentHash() != null) dropResults(meeting.contentHash(), tenant, undo);
                }
            }
            state.meetings.put(row.id, row);
            batch.meetings.add(row);
            if (undo != null) undo.add(() -> state.meetings.remove(row.id));
            index++;
        }
        return batch;
    }

    private MeetingRow newMeeting(BatchRow batch, int index, NewMeeting meeting, Tier tier, Integer maxAttempts, Instant now) {
        MeetingRow row = new MeetingRow();
        row.id = state.nextId("mtg_", now);
        row.sequence = state.sequence;
        row.batchId = batch.id;
        row.index = index;
        row.source = meeting.source();
        row.title = meeting.title();
        row.contentHash = meeting.contentHash();
        if (meeting.failure() != null) {
            row.state = MeetingState.FAILED;
            row.failure = new Failure(Failure.Cause.UNSPECIFIED_PERMANENT, meeting.failure().message(), null);
        } else if (meeting.skipReason() != null) {
            row.state = MeetingState.SKIPPED;
            row.skipReason = meeting.skipReason();
        } else {
            row.state = MeetingState.QUEUED;
            row.notBefore = now;
        }
        row.transcript = meeting.transcript();
        row.audio = meeting.audio();
        row.tier = tier;
        row.maxAttempts = maxAttempts;
        row.createdAt = now;
        row.updatedAt = now;
        return row;
    }

    /** A meeting is sensitive when its own tier or its batch's is. */
    private static Tier tierOf(BatchCreateParams params, int index) {
        boolean sensitive = params.tier() == Tier.SENSITIVE
                || (params.tiers() != null && params.tiers().get(index) == Tier.SENSITIVE);
        return sensitive ? Tier.SENSITIVE : Tier.ORDINARY;
    }

    /**
     * The newest meeting the new one duplicates: to be processed or processed (not a duplicate, not
     * replaced), the same content hash or the same {@code title} in the same tier, in a batch of the same
     * tenant answered by the same analyzer (meeting_find_original.sql).
     */
    private Optional<MeetingRow> original(NewMeeting meeting, Tier tier, String tenant, String analyzer, String title) {
        return state.meetings.values().stream()
                .filter(m -> m.duplicateOf == null && m.replacedBy == null)
                .filter(m -> m.state == MeetingState.QUEUED || m.state == MeetingState.RUNNING || m.state == MeetingState.WAITING
                        || m.state == MeetingState.COMPLETED)
                .filter(m -> (m.contentHash != null && m.contentHash.equals(meeting.contentHash()))
                        || (title != null && title.equals(m.title) && m.tier == tier))
                .filter(m -> {
                    BatchRow b = state.batches.get(m.batchId);
                    return Objects.equals(b.tenant(), tenant) && Objects.equals(b.analyzer, analyzer);
                })
                .max(Comparator.<MeetingRow, Instant>comparing(m -> m.createdAt).thenComparingInt(m -> m.index)
                        .thenComparingLong(m -> m.sequence));
    }

    /** The old meeting gives way to the new one: not shown any more, and skipped if it has not started. */
    private static void markReplaced(MeetingRow old, MeetingRow replacing, BatchRow batch, Instant now, List<Runnable> undo) {
        MeetingRow before = old.copy();
        if (undo != null) undo.add(() -> old.restore(before));
        old.replacedBy = replacing.id;
        if (old.state == MeetingState.QUEUED) {
            old.state = MeetingState.SKIPPED;
            old.skipReason = "replaced by " + replacing.source + " (meeting " + replacing.id + ", batch " + batch.id + ")";
            old.notBefore = null;
        }
        old.updatedAt = now;
    }

    private void dropResults(String contentHash, String tenant, List<Runnable> undo) {
        String scope = tenant == null ? "" : tenant;
        Map<List<String>, Analysis> dropped = new HashMap<>();
        state.results.entrySet().removeIf(e -> {
            boolean drop = e.getKey().get(0).equals(scope) && e.getKey().get(1).equals(contentHash);
            if (drop) dropped.put(e.getKey(), e.getValue());
            return drop;
        });
        if (undo != null) undo.add(() -> state.results.putAll(dropped));
    }

    private Batch batchOf(BatchRow row) {
        BatchCounts counts = BatchCounts.EMPTY;
        Usage usage = Usage.NONE;
        for (MeetingRow m : row.meetings) {
            counts = counts.plus(m.state, 1);
            usage = usage.plus(m.usageOrZero());
        }
        return new Batch(row.id, row.runKey, row.provider, row.submittedAt, counts, usage, row.priority);
    }

    @Override
    public Optional<Batch> batchGet(String batchId) {
        return locked(() -> Optional.ofNullable(state.batches.get(batchId)).map(this::batchOf));
    }

    @Override
    public Optional<Batch> batchFindByRunKey(String runKey) {
        return locked(() -> state.batches.values().stream()
                .filter(b -> b.runKey != null && b.runKey.equals(runKey))
                .max(Comparator.<BatchRow, Instant>comparing(b -> b.submittedAt).thenComparing(b -> b.id))
                .map(this::batchOf));
    }

    @Override
    public List<Batch> batchPage(BatchPageParams params) {
        return locked(() -> state.batches.values().stream()
                .filter(b -> params.tenant() == null || params.tenant().equals(b.tenant()))
                .filter(b -> params.before() == null || b.id.compareTo(params.before()) < 0)
                .sorted(Comparator.<BatchRow, String>comparing(b -> b.id).reversed())
                .limit(params.limit())
                .map(this::batchOf)
                .toList());
    }

    @Override
    public Optional<String> batchFirstTitle(String batchId) {
        return locked(() -> Optional.ofNullable(state.batches.get(batchId))
                .flatMap(b -> b.meetings.stream().filter(m -> m.index == 0).findFirst())
                .map(m -> m.title != null ? m.title : m.source));
    }

    @Override
    public Optional<Submission> submissionGet(String batchId) {
        return locked(() -> Optional.ofNullable(state.batches.get(batchId)).filter(b -> b.submission != null)
                .map(b -> new Submission(b.submission.tenant, b.submission.onDuplicate, b.submission.priority,
                        b.submission.maxAttempts, b.budgetUsd, b.submission.allowOverBudget, b.submission.style,
                        b.submission.lane)));
    }

    @Override
    public int batchCancel(BatchCancelParams params) {
        return locked(() -> {
            BatchRow batch = state.batches.get(params.batchId());
            if (batch == null) return 0;
            int cancelled = 0;
            for (MeetingRow m : batch.meetings) {
                if (m.state != MeetingState.QUEUED && m.state != MeetingState.RUNNING && m.state != MeetingState.WAITING) continue;
                m.state = MeetingState.CANCELLED;
                m.notBefore = null;
                m.endLease(params.now());
                cancelled++;
                for (AttemptRow a : m.attempts) {
                    if (a.open()) {
                        a.finishedAt = params.now();
                        a.failure = new Failure(Failure.Cause.UNSPECIFIED_PERMANENT, "cancelled", null);
                    }
                }
            }
            return cancelled;
        });
    }

    @Override
    public Purged batchesPurge(PurgeParams params) {
        return locked(() -> {
            List<BatchRow> purgeable = state.batches.values().stream()
                    .filter(b -> b.meetings.stream().noneMatch(m -> !m.state.isFinal()))
                    .filter(b -> b.meetings.stream().map(m -> m.updatedAt).max(Comparator.naturalOrder())
                            .orElse(b.submittedAt).isBefore(params.finishedBefore()))
                    .sorted(Comparator.comparing(b -> b.submittedAt))
                    .toList();
            Set<String> blobKeys = new LinkedHashSet<>();
            for (BatchRow batch : purgeable) {
                for (MeetingRow m : batch.meetings) {
                    if (m.audio != null) blobKeys.add(m.audio.blobKey());
                    state.meetings.remove(m.id);
                }
                state.batches.remove(batch.id);
            }
            Set<String> inUse = new LinkedHashSet<>();
            for (MeetingRow m : state.meetings.values()) if (m.audio != null) inUse.add(m.audio.blobKey());
            blobKeys.removeAll(inUse);
            return new Purged(purgeable.size(), blobKeys);
        });
    }

    // ---- budgets -------------------------------------------------------------------------------

    @Override
    public Optional<Budget> batchBudget(String batchId) {
        return locked(() -> budget(batchId, ""));
    }

    @Override
    public void batchBudgetSet(BatchBudgetParams params) {
        lockedRun(() -> {
            BatchRow batch = state.batches.get(params.batchId());
            if (batch != null) batch.budgetUsd = params.budgetUsd();
        });
    }

    @Override
    public Optional<BatchDeadline> batchDeadline(String batchId) {
        return locked(() -> {
            BatchRow batch = state.batches.get(batchId);
            return batch == null || batch.deadline == null ? Optional.empty()
                    : Optional.of(new BatchDeadline(batch.deadline, batch.submittedAt));
        });
    }

    @Override
    public void batchDeadlineSet(BatchDeadlineParams params) {
        lockedRun(() -> {
            BatchRow batch = state.batches.get(params.batchId());
            if (batch != null) batch.deadline = params.deadline();
        });
    }

    /** The batch's budget, with what every open attempt but {@code exceptMeetingId}'s holds of it (batch_budget.sql). */
    private Optional<Budget> budget(String batchId, String exceptMeetingId) {
        BatchRow batch = state.batches.get(batchId);
        if (batch == null || batch.budgetUsd == null) return Optional.empty();
        double spent = 0;
        double reserved = 0;
        int exhausted = 0;
        for (MeetingRow m : batch.meetings) {
            if (m.costUsd != null) spent += m.costUsd;
            if (!m.id.equals(exceptMeetingId)) {
                for (AttemptRow a : m.attempts) if (a.open()) reserved += a.reservedUsd;
            }
            if (m.state == MeetingState.SKIPPED && Budget.refused(m.skipReason)) exhausted++;
        }
        return Optional.of(new Budget(batch.budgetUsd, spent, reserved, exhausted));
    }

    @Override
    public Reservation meetingBudgetReserve(BudgetReserveParams params) {
        return locked(() -> {
            MeetingRow meeting = state.meetings.get(params.meetingId());
            if (meeting == null) return new Reservation(false, Optional.empty());
            Optional<Budget> budget = budget(meeting.batchId, meeting.id);
            if (budget.isEmpty()) return new Reservation(true, budget);
            if (!budget.get().allows(params.usd())) return new Reservation(false, budget);
            for (AttemptRow a : meeting.attempts) {
                if (a.number == params.attempt() && a.open()) {
                    a.reservedUsd = params.usd();
                    return new Reservation(true, budget);
                }
            }
            return new Reservation(false, budget);
        });
    }

    // ---- meetings ------------------------------------------------------------------------------

    /** A meeting as read; a duplicate shows the result of the meeting it points to. */
    private Meeting meetingOf(MeetingRow m, boolean withAnalysisAndAttempts) {
        Analysis analysis = null;
        List<Attempt> attempts = List.of();
        if (withAnalysisAndAttempts) {
            analysis = m.analysis;
            if (analysis == null && m.duplicateOf != null) {
                MeetingRow original = state.meetings.get(m.duplicateOf);
                if (original != null) analysis = original.analysis;
            }
            attempts = m.attempts.stream().map(AttemptRow::attempt).toList();
        }
        Usage usage = m.inputTokens == null ? null : m.usageOrZero();
        return new Meeting(m.id, m.batchId, m.index, m.source, m.title, m.contentHash, m.state, m.attemptCount,
                m.notBefore, m.skipReason, m.failure, analysis, usage, m.completedAt, attempts, m.audio, m.transcription,
                m.duplicateOf, m.replacedBy, m.lane, m.ranLane, m.listCostUsd, m.date);
    }

    private List<MeetingRow> meetingsOf(String batchId) {
        BatchRow batch = state.batches.get(batchId);
        return batch == null ? List.of() : batch.meetings;
    }

    @Override
    public List<Meeting> meetingsList(String batchId) {
        return locked(() -> meetingsOf(batchId).stream().map(m -> meetingOf(m, true)).toList());
    }

    @Override
    public List<Meeting> meetingsPage(MeetingsPageParams params) {
        return locked(() -> meetingsOf(params.batchId()).stream().filter(m -> m.index > params.afterIndex())
                .limit(params.limit()).map(m -> meetingOf(m, true)).toList());
    }

    @Override
    public List<Meeting> meetingsBrief(String batchId) {
        return locked(() -> meetingsOf(batchId).stream().map(m -> meetingOf(m, false)).toList());
    }

    /** One snapshot because the whole read holds the one lock (it is reentrant: the reads it makes take it again). */
    @Override
    public Optional<BatchView> batchView(String batchId) {
        return locked(() -> batchGet(batchId).map(batch -> {
            Set<String> held = new java.util.HashSet<>();
            for (MeetingRow m : meetingsOf(batchId)) if (m.providerBatch != null) held.add(m.providerBatch);
            List<ProviderBatch> providerBatches = state.providerBatches.values().stream().filter(pb -> held.contains(pb.id()))
                    .sorted(Comparator.comparing(ProviderBatch::intendedAt).thenComparing(ProviderBatch::id)).toList();
            return new BatchView(batch, submissionGet(batchId).orElse(null), budget(batchId, "").orElse(null),
                    meetingsBrief(batchId), batchDeadline(batchId).orElse(null), providerBatches);
        }));
    }

    @Override
    public Optional<MeetingDetail> meetingGet(String meetingId) {
        return locked(() -> Optional.ofNullable(state.meetings.get(meetingId))
                .map(m -> new MeetingDetail(meetingOf(m, true), m.transcript, m.tier)));
    }

    @Override
    public int meetingsRequeue(RequeueParams params) {
        int requeued = locked(() -> {
            int count = 0;
            for (MeetingRow m : meetingsOf(params.batchId())) {
                if (!params.states().contains(m.state) || (m.transcript == null && m.audio == null)) continue;
                m.state = MeetingState.QUEUED;
                m.notBefore = params.now();
                m.attemptBase = m.attemptCount;
                m.leasesLostInARow = 0;
                m.rateLimitedSince = null;
                m.endLease(params.now());
                count++;
            }
            return count;
        });
        return announcing(requeued, requeued > 0);
    }

    // ---- the queue -----------------------------------------------------------------------------

    private record Candidate(MeetingRow meeting, BatchRow batch, long turn) {
    }

    /** meetings_claimable.sql: a batch's n-th due meeting has turn (running + n) * stride. */
    @Override
    public List<ClaimedMeeting> meetingsClaim(ClaimParams params) {
        if (params.limit() <= 0) return List.of();
        Instant leaseExpiresAt = params.now().plus(params.lease());
        return locked(() -> {
            List<Candidate> candidates = new ArrayList<>();
            for (BatchRow batch : state.batches.values()) {
                long running = batch.meetings.stream().filter(m -> m.state == MeetingState.RUNNING).count();
                long n = 0;
                for (MeetingRow m : batch.meetings) {
                    if (n == params.limit()) break;
                    if (m.state != MeetingState.QUEUED || m.lane == Lane.BATCH) continue; // the batch lane packs its own
                    if (m.notBefore == null || m.notBefore.isAfter(params.now())) continue;
                    n++;
                    candidates.add(new Candidate(m, batch, (running + n) * batch.priority.stride()));
                }
            }
            List<Candidate> chosen = candidates.stream()
                    .sorted(Comparator.comparingLong(Candidate::turn)
                            .thenComparing(c -> c.batch().submittedAt)
                            .thenComparing(c -> c.batch().id)
                            .thenComparingInt(c -> c.meeting().index))
                    .limit(params.limit())
                    .toList();
            List<ClaimedMeeting> claimed = new ArrayList<>(chosen.size());
            for (Candidate c : chosen) {
                MeetingRow m = c.meeting();
                m.state = MeetingState.RUNNING;
                m.leaseOwner = params.owner();
                m.leaseExpiresAt = leaseExpiresAt;
                m.attemptCount++;
                m.updatedAt = params.now();
                m.attempts.add(new AttemptRow(m.attemptCount, params.now()));
                Tier tier = m.tier == Tier.SENSITIVE || c.batch().tier == Tier.SENSITIVE ? Tier.SENSITIVE : Tier.ORDINARY;
                claimed.add(new ClaimedMeeting(m.id, m.batchId, m.index, m.source, m.title, m.transcript, m.attemptCount,
                        m.attemptBase, leaseExpiresAt, m.audio, tier, m.maxAttempts, c.batch().budgetUsd != null,
                        c.batch().tenant(), m.style, m.date, m.lane));
            }
            return claimed;
        });
    }

    @Override
    public Set<String> meetingsHeartbeat(HeartbeatParams params) {
        if (params.meetingIds().isEmpty()) return Set.of();
        return locked(() -> {
            Set<String> extended = new LinkedHashSet<>();
            for (String id : params.meetingIds().stream().sorted().toList()) {
                MeetingRow m = state.meetings.get(id);
                if (m == null || m.state != MeetingState.RUNNING || !Objects.equals(m.leaseOwner, params.owner())) continue;
                m.leaseExpiresAt = params.now().plus(params.lease());
                m.updatedAt = params.now();
                extended.add(id);
            }
            return extended;
        });
    }

    @Override
    public boolean meetingFinish(FinishParams params) {
        boolean landed = locked(() -> finish(params, null));
        return announcing(landed, landed && params.outcome() instanceof Outcome.RetryAt);
    }

    /**
     * The one guarded finish: written only while the meeting is running, leased to the owner, on this
     * attempt. {@code lostLease}: null for an outcome the owner wrote; for one the reaper wrote, what the
     * lost attempt is closed with, and a retry then uses none of the meeting's attempts.
     */
    private boolean finish(FinishParams params, Failure lostLease) {
        MeetingRow m = state.meetings.get(params.meetingId());
        if (m == null || !m.heldBy(params.owner(), params.attempt())) return false;
        Instant now = params.now();
        Failure attemptFailure = null;
        switch (params.outcome()) {
            case Outcome.Completed done -> {
                m.state = MeetingState.COMPLETED;
                m.analysis = done.analysis();
                m.inputTokens = done.usage().inputTokens();
                m.outputTokens = done.usage().outputTokens();
                m.costUsd = done.usage().costUsd() + (m.transcription == null ? 0.0 : m.transcription.costUsd());
                if (done.lane() != null) m.lane = done.lane();
                m.ranLane = done.lane();
                m.listCostUsd = done.listCostUsd() == null ? null
                        : done.listCostUsd() + (m.transcription == null ? 0.0 : m.transcription.costUsd());
                m.completedAt = now;
                m.failure = null;
            }
            case Outcome.RetryAt retry -> {
                boolean rateLimited = retry.failure().rateLimited();
                boolean leaseLost = lostLease != null;
                attemptFailure = retry.failure();
                m.state = MeetingState.QUEUED;
                m.notBefore = retry.notBefore();
                m.failure = stored(retry.failure());
                if (!retry.failure().usesAnAttempt() || leaseLost) m.attemptBase++;
                if (!leaseLost) m.rateLimitedSince = rateLimited ? (m.rateLimitedSince == null ? now : m.rateLimitedSince) : null;
                m.leasesLostInARow = leaseLost ? m.leasesLostInARow + 1 : 0;
            }
            case Outcome.Failed failed -> {
                attemptFailure = failed.failure();
                m.state = MeetingState.FAILED;
                m.failure = stored(failed.failure());
            }
            case Outcome.Skipped skipped -> {
                m.state = MeetingState.SKIPPED;
                m.skipReason = skipped.reason();
            }
        }
        m.endLease(now);
        for (AttemptRow a : m.attempts) {
            if (a.number == params.attempt() && a.open()) {
                a.finishedAt = now;
                a.failure = stored(lostLease != null ? lostLease : attemptFailure);
            }
        }
        return true;
    }

    @Override
    public boolean meetingTranscribed(TranscribedParams params) {
        TranscriptionUsage usage = params.usage() == null ? TranscriptionUsage.NONE : params.usage();
        return locked(() -> {
            MeetingRow m = state.meetings.get(params.meetingId());
            if (m == null || !m.heldBy(params.owner(), params.attempt()) || m.audio == null) return false;
            m.transcript = params.transcript();
            m.transcription = usage;
            m.costUsd = usage.costUsd();
            m.updatedAt = params.now();
            for (AttemptRow a : m.attempts) if (a.number == params.attempt()) a.reservedUsd = 0;
            return true;
        });
    }

    @Override
    public Optional<Instant> meetingRateLimitedSince(String meetingId) {
        return locked(() -> Optional.ofNullable(state.meetings.get(meetingId)).map(m -> m.rateLimitedSince));
    }

    @Override
    public boolean meetingRelease(ReleaseParams params) {
        boolean released = locked(() -> {
            MeetingRow m = state.meetings.get(params.meetingId());
            if (m == null || m.state != MeetingState.RUNNING || !Objects.equals(m.leaseOwner, params.owner())) return false;
            m.state = MeetingState.QUEUED;
            m.notBefore = params.now();
            m.attemptCount--;
            m.endLease(params.now());
            m.attempts.removeIf(AttemptRow::open);
            return true;
        });
        return announcing(released, released);
    }

    /** meetings_reapable.sql, then each lost lease through the same guarded finish, as the retry policy decides. */
    @Override
    public int meetingsReap(ReapParams params) {
        int[] takenAndRequeued = locked(() -> {
            List<MeetingRow> lost = state.meetings.values().stream()
                    .filter(m -> m.state == MeetingState.RUNNING)
                    .filter(m -> m.leaseExpiresAt.isBefore(params.now()) || m.leaseOwner.equals(params.owner()))
                    .sorted(Comparator.comparing(m -> m.id))
                    .toList();
            int taken = 0;
            int requeued = 0;
            for (MeetingRow m : lost) {
                String owner = m.leaseOwner;
                LostLease lease = new LostLease(m.id, owner, m.attemptCount, m.attemptCount - m.attemptBase, m.maxAttempts,
                        m.leasesLostInARow + 1,
                        Failure.of(Failure.Cause.LEASE_LOST, owner.equals(params.owner()) ? WORKER_STOPPED : LEASE_EXPIRED));
                Outcome outcome = params.outcomes().decide(lease, params.now());
                if (!(outcome instanceof Outcome.RetryAt || outcome instanceof Outcome.Failed)) {
                    throw new IllegalArgumentException("a lost lease is retried or fails, not " + outcome);
                }
                if (finish(new FinishParams(m.id, owner, m.attemptCount, outcome, params.now()), lease.failure())) {
                    taken++;
                    if (outcome instanceof Outcome.RetryAt) requeued++;
                }
            }
            return new int[]{taken, requeued};
        });
        return announcing(takenAndRequeued[0], takenAndRequeued[1] > 0);
    }

    @Override
    public Set<String> leaseOwners() {
        return locked(() -> {
            Set<String> owners = new LinkedHashSet<>();
            for (MeetingRow m : state.meetings.values()) if (m.state == MeetingState.RUNNING) owners.add(m.leaseOwner);
            return owners;
        });
    }

    @Override
    public Set<String> meetingsHeldBy(String owner) {
        return locked(() -> {
            Set<String> held = new LinkedHashSet<>();
            for (MeetingRow m : state.meetings.values()) {
                if (m.state == MeetingState.RUNNING && m.leaseOwner.equals(owner)) held.add(m.id);
            }
            return held;
        });
    }

    @Override
    public Optional<Instant> nextDueAt() {
        return locked(() -> state.meetings.values().stream().filter(m -> m.state == MeetingState.QUEUED && m.lane != Lane.BATCH)
                .map(m -> m.notBefore).filter(Objects::nonNull).min(Comparator.naturalOrder()));
    }

    // ---- status --------------------------------------------------------------------------------

    /** Writable while open: there is no lock to wait for nor a disk to fill. */
    @Override
    public void checkWritable() {
        lockedRun(() -> { });
    }

    @Override
    public Totals countsAll() {
        return locked(() -> {
            BatchCounts counts = BatchCounts.EMPTY;
            Usage usage = Usage.NONE;
            for (MeetingRow m : state.meetings.values()) {
                counts = counts.plus(m.state, 1);
                usage = usage.plus(m.usageOrZero());
            }
            return new Totals(counts, usage);
        });
    }

    // ---- API keys ------------------------------------------------------------------------------

    /** The first key's tenant takes the batches stored before it (submissions_adopt_keyless.sql, submissions_insert_keyless.sql). */
    @Override
    public void apiKeyCreate(ApiKeyCreateParams params) {
        lockedRun(() -> {
            if (state.apiKeys.containsKey(params.keyHash())) {
                throw new IllegalArgumentException("an API key with this hash is stored already");
            }
            boolean first = state.apiKeys.isEmpty();
            state.apiKeys.put(params.keyHash(), new ApiKey(params.keyHash(), params.tenant(), params.now()));
            if (!first) return;
            for (BatchRow batch : state.batches.values()) {
                if (batch.submission == null) {
                    batch.submission = new SubmissionRow(params.tenant(), OnDuplicate.SKIP, batch.priority.wireName(), null, false);
                } else if (batch.submission.tenant == null) {
                    batch.submission.tenant = params.tenant();
                }
            }
        });
    }

    @Override
    public Optional<String> apiKeyTenant(String keyHash) {
        return locked(() -> Optional.ofNullable(state.apiKeys.get(keyHash)).map(ApiKey::tenant));
    }

    @Override
    public int apiKeysCount() {
        return locked(state.apiKeys::size);
    }

    @Override
    public List<ApiKey> apiKeysList() {
        return locked(() -> state.apiKeys.values().stream()
                .sorted(Comparator.comparing(ApiKey::createdAt).thenComparing(ApiKey::keyHash)).toList());
    }

    @Override
    public boolean apiKeyRevoke(ApiKeyRevokeParams params) {
        return locked(() -> state.apiKeys.remove(params.keyHash()) != null);
    }

    // ---- result cache and rate windows ---------------------------------------------------------

    private static List<String> resultKey(ResultKey key) {
        return List.of(key.tenant() == null ? "" : key.tenant(), key.contentHash(), key.analysisVersion(), key.provider(),
                key.model());
    }

    @Override
    public Optional<Analysis> resultFind(ResultKey key) {
        return locked(() -> Optional.ofNullable(state.results.get(resultKey(key))));
    }

    @Override
    public void resultPut(ResultKey key, Analysis analysis, Instant now) {
        lockedRun(() -> state.results.put(resultKey(key), analysis));
    }

    @Override
    public Optional<Instant> rateWindowPerSecondSince(String provider, String model) {
        return locked(() -> Optional.ofNullable(state.perSecondLearned.get(List.of(provider, model))));
    }

    @Override
    public void rateWindowPerSecondLearned(String provider, String model, Instant at) {
        lockedRun(() -> state.perSecondLearned.merge(List.of(provider, model), at,
                (kept, learned) -> learned.isAfter(kept) ? learned : kept));
    }

    // ---- the batch lane: provider batches (as the SQL stores' provider_batch_*.sql) ---------------

    private ClaimedMeeting laneMeeting(MeetingRow m, int attempt) {
        BatchRow batch = state.batches.get(m.batchId);
        Tier tier = m.tier == Tier.SENSITIVE || batch.tier == Tier.SENSITIVE ? Tier.SENSITIVE : Tier.ORDINARY;
        return new ClaimedMeeting(m.id, m.batchId, m.index, m.source, m.title, m.transcript, attempt, m.attemptBase, null,
                m.audio, tier, m.maxAttempts, batch.budgetUsd != null, batch.tenant(), m.style, m.date, m.lane);
    }

    @Override
    public List<ClaimedMeeting> meetingsLaneDue(LaneDueParams params) {
        if (params.limit() <= 0) return List.of();
        return locked(() -> {
            List<ClaimedMeeting> due = new ArrayList<>();
            List<BatchRow> batches = state.batches.values().stream()
                    .sorted(Comparator.<BatchRow, Instant>comparing(b -> b.submittedAt).thenComparing(b -> b.id)).toList();
            for (BatchRow batch : batches) {
                for (MeetingRow m : batch.meetings) {
                    if (due.size() == params.limit()) return due;
                    if (m.state != MeetingState.QUEUED || m.lane != Lane.BATCH) continue;
                    if (m.notBefore == null || m.notBefore.isAfter(params.now())) continue;
                    due.add(laneMeeting(m, m.attemptCount + 1));
                }
            }
            return due;
        });
    }

    @Override
    public int meetingsLaneSet(LaneSetParams params) {
        int planned = locked(() -> {
            int n = 0;
            for (String id : params.meetingIds()) {
                MeetingRow m = state.meetings.get(id);
                if (m == null || m.state != MeetingState.QUEUED) continue;
                m.lane = params.lane();
                m.updatedAt = params.now();
                n++;
            }
            return n;
        });
        return announcing(planned, planned > 0 && params.lane() != Lane.BATCH);
    }

    private long ledger(String provider, String model) {
        return state.providerBatches.values().stream()
                .filter(b -> b.provider().equals(provider) && b.model().equals(model) && b.state().reserves())
                .mapToLong(ProviderBatch::enqueuedTokens).sum();
    }

    @Override
    public Optional<Packed> providerBatchPack(PackParams params) {
        if (params.lines().isEmpty()) return Optional.empty();
        return locked(() -> {
            long reserved = ledger(params.provider(), params.model());
            long headroom = params.enqueuedTokenLimit() <= 0 ? Long.MAX_VALUE : params.enqueuedTokenLimit() - reserved;
            List<String> taken = new ArrayList<>();
            Map<String, String> refused = new LinkedHashMap<>();
            long tokens = 0;
            for (PackLine line : params.lines()) {
                if (line.inputTokens() > headroom - tokens) continue;
                MeetingRow m = state.meetings.get(line.meetingId());
                if (m == null || m.state != MeetingState.QUEUED || m.lane != Lane.BATCH) continue;
                Optional<Budget> budget = line.maxCostUsd() > 0 ? budget(m.batchId, m.id) : Optional.empty();
                if (budget.isPresent() && !budget.get().allows(line.maxCostUsd())) {
                    m.state = MeetingState.SKIPPED;
                    m.skipReason = budget.get().refusal(line.maxCostUsd()) + " at the batch price";
                    m.notBefore = null;
                    m.updatedAt = params.now();
                    refused.put(m.id, m.skipReason);
                    continue;
                }
                m.state = MeetingState.WAITING;
                m.providerBatch = params.id();
                m.attemptCount++;
                m.notBefore = null;
                m.updatedAt = params.now();
                AttemptRow opened = new AttemptRow(m.attemptCount, params.now());
                opened.reservedUsd = line.maxCostUsd();
                m.attempts.add(opened);
                taken.add(m.id);
                tokens += line.inputTokens();
            }
            if (taken.isEmpty()) return refused.isEmpty() ? Optional.<Packed>empty() : Optional.of(new Packed(null, List.of(), refused));
            ProviderBatch stored = new ProviderBatch(params.id(), params.provider(), params.model(), ProviderBatchState.INTENDED,
                    null, null, taken.size(), tokens, null, null, null, params.now(), null, null, params.owner(),
                    params.now().plus(params.lease()));
            state.providerBatches.put(stored.id(), stored);
            return Optional.of(new Packed(stored, taken, refused));
        });
    }

    private static <T> T orKeep(T value, T kept) {
        return value != null ? value : kept;
    }

    @Override
    public boolean providerBatchRecord(ProviderBatchRecordParams params) {
        return locked(() -> {
            ProviderBatch b = state.providerBatches.get(params.id());
            if (b == null || !params.owner().equals(b.leaseOwner())) return false;
            state.providerBatches.put(b.id(), new ProviderBatch(b.id(), b.provider(), b.model(), params.state(),
                    orKeep(params.stagedRef(), b.stagedRef()), orKeep(params.remoteId(), b.remoteId()), b.lines(),
                    b.enqueuedTokens(), orKeep(params.counts(), b.counts()), orKeep(params.remoteStatus(), b.remoteStatus()),
                    orKeep(params.failure(), b.failure()), b.intendedAt(), orKeep(params.createdAt(), b.createdAt()),
                    orKeep(params.endedAt(), b.endedAt()), b.leaseOwner(), params.now().plus(params.lease())));
            return true;
        });
    }

    @Override
    public List<ProviderBatch> providerBatchesLease(ProviderBatchLeaseParams params) {
        if (params.limit() <= 0) return List.of();
        return locked(() -> {
            List<ProviderBatch> leasable = state.providerBatches.values().stream()
                    .filter(b -> b.provider().equals(params.provider()) && b.model().equals(params.model()))
                    .filter(b -> !b.state().isFinal())
                    .filter(b -> b.leaseOwner() == null || b.leaseExpiresAt().isBefore(params.now())
                            || b.leaseOwner().equals(params.owner()) || b.leaseOwner().equals(params.deadOwner()))
                    .sorted(Comparator.comparing(ProviderBatch::intendedAt).thenComparing(ProviderBatch::id))
                    .limit(params.limit())
                    .toList();
            List<ProviderBatch> leased = new ArrayList<>(leasable.size());
            for (ProviderBatch b : leasable) {
                ProviderBatch mine = new ProviderBatch(b.id(), b.provider(), b.model(), b.state(), b.stagedRef(), b.remoteId(),
                        b.lines(), b.enqueuedTokens(), b.counts(), b.remoteStatus(), b.failure(), b.intendedAt(), b.createdAt(),
                        b.endedAt(), params.owner(), params.now().plus(params.lease()));
                state.providerBatches.put(b.id(), mine);
                leased.add(mine);
            }
            return leased;
        });
    }

    @Override
    public Optional<ProviderBatch> providerBatchGet(String id) {
        return locked(() -> Optional.ofNullable(state.providerBatches.get(id)));
    }

    @Override
    public Set<String> providerBatchOwners(String provider, String model) {
        return locked(() -> {
            Set<String> owners = new LinkedHashSet<>();
            for (ProviderBatch b : state.providerBatches.values()) {
                if (b.provider().equals(provider) && b.model().equals(model) && !b.state().isFinal() && b.leaseOwner() != null) {
                    owners.add(b.leaseOwner());
                }
            }
            return owners;
        });
    }

    @Override
    public List<ClaimedMeeting> providerBatchMeetings(String id) {
        return locked(() -> state.meetings.values().stream()
                .filter(m -> m.state == MeetingState.WAITING && id.equals(m.providerBatch))
                .sorted(Comparator.comparing(m -> m.id))
                .map(m -> laneMeeting(m, m.attemptCount))
                .toList());
    }

    @Override
    public boolean meetingLineFinish(LineFinishParams params) {
        boolean finished = locked(() -> {
            MeetingRow m = state.meetings.get(params.meetingId());
            if (m == null || m.state != MeetingState.WAITING || !params.providerBatchId().equals(m.providerBatch)) return false;
            Instant now = params.now();
            Failure attemptFailure = null;
            switch (params.outcome()) {
                case Outcome.Completed done -> {
                    m.state = MeetingState.COMPLETED;
                    m.analysis = done.analysis();
                    m.inputTokens = done.usage().inputTokens();
                    m.outputTokens = done.usage().outputTokens();
                    m.costUsd = done.usage().costUsd();
                    m.listCostUsd = params.listCostUsd();
                    m.ranLane = Lane.BATCH;
                    m.completedAt = now;
                    m.failure = null;
                }
                case Outcome.RetryAt retry -> {
                    boolean rateLimited = retry.failure().rateLimited();
                    attemptFailure = retry.failure();
                    m.state = MeetingState.QUEUED;
                    m.notBefore = retry.notBefore();
                    m.providerBatch = null;
                    m.failure = stored(retry.failure());
                    if (rateLimited) m.attemptBase++;
                    m.rateLimitedSince = rateLimited ? (m.rateLimitedSince == null ? now : m.rateLimitedSince) : null;
                    m.leasesLostInARow = 0;
                }
                case Outcome.Failed failed -> {
                    attemptFailure = failed.failure();
                    m.state = MeetingState.FAILED;
                    m.failure = stored(failed.failure());
                }
                case Outcome.Skipped skipped -> throw new IllegalArgumentException("a line is not skipped: " + skipped);
            }
            m.updatedAt = now;
            for (AttemptRow a : m.attempts) {
                if (a.number == m.attemptCount && a.open()) {
                    a.finishedAt = now;
                    a.failure = stored(attemptFailure);
                }
            }
            return true;
        });
        return announcing(finished, finished && params.outcome() instanceof Outcome.RetryAt);
    }

    @Override
    public int providerBatchRelease(ProviderBatchReleaseParams params) {
        int released = locked(() -> {
            int n = 0;
            for (MeetingRow m : state.meetings.values()) {
                if (m.state != MeetingState.WAITING || !params.id().equals(m.providerBatch)) continue;
                m.attempts.removeIf(AttemptRow::open);
                m.state = MeetingState.QUEUED;
                m.notBefore = params.now();
                m.providerBatch = null;
                m.attemptCount--;
                m.updatedAt = params.now();
                n++;
            }
            return n;
        });
        return announcing(released, released > 0);
    }

    @Override
    public long providerBatchLedger(String provider, String model) {
        return locked(() -> ledger(provider, model));
    }

    @Override
    public List<Duration> providerBatchDurations(ProviderBatchDurationsParams params) {
        return locked(() -> state.providerBatches.values().stream()
                .filter(b -> b.provider().equals(params.provider()) && b.model().equals(params.model()))
                .filter(b -> b.createdAt() != null && b.endedAt() != null)
                .filter(b -> "completed".equals(b.remoteStatus()) || "expired".equals(b.remoteStatus()))
                .sorted(java.util.Comparator.comparing(ProviderBatch::endedAt).reversed())
                .limit(params.limit())
                .map(b -> Duration.between(b.createdAt(), b.endedAt()))
                .toList());
    }
}
