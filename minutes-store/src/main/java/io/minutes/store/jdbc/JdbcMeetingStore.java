package io.minutes.store.jdbc;

import io.minutes.core.domain.Analysis;
import io.minutes.core.domain.Attempt;
import io.minutes.core.domain.Batch;
import io.minutes.core.domain.Budget;
import io.minutes.core.domain.Tier;
import io.minutes.core.domain.Submission;
import io.minutes.core.style.LanguageChoice;
import io.minutes.core.style.MinutesStyle;
import io.minutes.core.lane.LaneChoice;
import io.minutes.core.domain.BatchCounts;
import io.minutes.core.domain.ClaimedMeeting;
import io.minutes.core.domain.Failure;
import io.minutes.core.domain.Lane;
import io.minutes.core.domain.Meeting;
import io.minutes.core.domain.MeetingState;
import io.minutes.core.domain.OnDuplicate;
import io.minutes.core.domain.TranscriptionUsage;
import io.minutes.core.domain.Usage;
import io.minutes.core.port.MeetingStore;
import io.minutes.core.port.ProviderBatches;
import io.minutes.core.port.RateWindows;
import io.minutes.core.port.ResultCache;
import io.minutes.core.port.StoreEvents;
import io.minutes.store.Ids;
import io.minutes.store.JsonCodec;
import io.minutes.store.jdbc.StoreRows.AttemptRow;
import io.minutes.store.jdbc.StoreRows.BatchRow;
import io.minutes.store.jdbc.StoreRows.Claimable;
import io.minutes.store.jdbc.StoreRows.StateCount;

import java.sql.SQLException;
import java.time.Instant;
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
import java.util.function.Predicate;

/**
 * The store operations every SQL backend shares: the same steps over queries of the same names
 * ({@code sql/<dialect>/*.sql}). A backend says how a transaction is run ({@link #write},
 * {@link #read}); what differs in the SQL itself lives in its files, with a comment on each difference.
 *
 * <p>A backend's transactions must make {@code meetings_claimable} and {@code meetings_reapable}
 * hold their rows until commit (SQLite: the single write lock; PostgreSQL: {@code FOR UPDATE SKIP
 * LOCKED}), so that the updates following them cannot race another node.
 *
 * <p>A write that queues meetings (a new batch, a retry, a lease given back or reaped, a batch run
 * again) is announced on the backend's {@link StoreEvents#workAdded()} once it has committed, so the
 * idle dispatchers of every node look for work now; a retry due later wakes them too, and they then
 * wait until {@link #nextDueAt}.
 */
public abstract class JdbcMeetingStore implements MeetingStore, ResultCache, RateWindows {

    private static final int INSERT_BATCH = 1_000;

    /** What is known when a lease runs out: no heartbeat came, not why (a crash, a long pause, a lost database). */
    public static final String LEASE_EXPIRED =
            "lease expired: no heartbeat from the worker holding this meeting for a whole lease "
                    + "(it stopped, or was paused or cut off from the database for that long)";
    /** What is known when the holder is a process of this machine that no longer runs. */
    public static final String WORKER_STOPPED =
            "the worker holding this meeting stopped (its process is gone: crashed or was killed)";

    private final StoreEvents events;

    /** {@code events}: the backend's companion, told of every write that queued meetings. */
    protected JdbcMeetingStore(StoreEvents events) {
        this.events = Objects.requireNonNull(events, "events");
    }

    @FunctionalInterface
    protected interface Work<T> {
        T run(SqlRunner sql) throws SQLException;
    }

    /** Runs work in one transaction that may write. */
    protected abstract <T> T write(String operation, Work<T> work);

    /**
     * Runs work that only reads and needs no common snapshot: one query, or queries whose rows do not
     * change together (a batch row never changes; its counts come from one query).
     */
    protected abstract <T> T read(String operation, Work<T> work);

    /** Runs work that only reads, in one transaction, so its several queries see one snapshot. */
    protected abstract <T> T readSnapshot(String operation, Work<T> work);

    /** Runs work as {@link #write} does, then rolls it back: what it would do, with nothing kept. */
    protected abstract <T> T writeRolledBack(String operation, Work<T> work);

    /**
     * Runs work as {@link #write} does; once it has committed, announces new work when {@code queuedAny}
     * says the result queued meetings. Announcing before the commit could wake a dispatcher that then
     * finds nothing to claim.
     */
    private <T> T writeQueueing(String operation, Work<T> work, Predicate<T> queuedAny) {
        T result = write(operation, work);
        if (queuedAny.test(result)) events.workAdded();
        return result;
    }

    private static boolean anyQueued(Batch batch) {
        return batch.counts().queued() > 0;
    }

    // ---- batches -------------------------------------------------------------------------------

    @Override
    public Batch batchCreate(BatchCreateParams params) {
        return writeQueueing("batchCreate", sql -> loadBatch(sql, insertBatch(sql, params)).orElseThrow(),
                JdbcMeetingStore::anyQueued);
    }

    @Override
    public List<MeetingState> batchPreview(BatchCreateParams params) {
        return writeRolledBack("batchPreview", sql -> {
            String batchId = insertBatch(sql, params);
            return sql.query("meetings_list_brief", SqlParams.of("batch_id", batchId),
                    rs -> MeetingState.fromWire(rs.getString("state")));
        });
    }

    /**
     * Inserts the batch, its submission (null for the CLI's batches) and its meetings, deduplicated
     * within the submission's tenant.
     */
    private static String insertBatch(SqlRunner sql, BatchCreateParams params) throws SQLException {
        Submission submission = params.submission();
        List<Tier> tiers = params.tiers();
        String batchId = Ids.batchId(params.now());
        sql.update("batch_insert", SqlParams.of("id", batchId)
                .set("run_key", params.runKey())
                .set("provider", params.provider())
                .set("submitted_at", params.now())
                .set("priority", params.priority().wireName())
                .set("tier", params.tier().wireName())
                .set("budget_usd", params.budgetUsd())
                .set("analyzer", params.analyzer()));
        String tenant = submission == null ? null : submission.tenant();
        Integer maxAttempts = submission == null ? null : submission.maxAttempts(); // kept on each meeting (V013)
        MinutesStyle style = submission == null ? null : submission.style(); // likewise (V016)
        if (submission != null) { // before the meetings: deduplication finds the batch's tenant through it
            sql.update("submission_insert", SqlParams.of("batch_id", batchId)
                    .set("tenant", tenant)
                    .set("on_duplicate", submission.onDuplicate().wireName())
                    .set("priority", submission.priority())
                    .set("max_attempts", submission.maxAttempts())
                    .set("allow_over_budget", submission.allowOverBudget())
                    .set("lane", submission.lane() == null ? null : submission.lane().wireName()));
        }
        int index = 0;
        if (params.onDuplicate() == OnDuplicate.REPLACE) {
            sql.query("dedup_lock", SqlParams.of("tenant", tenant), rs -> 1);
            // one by one: a meeting may replace one inserted just before it in this batch
            for (NewMeeting meeting : params.meetings()) {
                insertReplacing(sql, batchId, index, meeting, tierOf(params, tiers, index), tenant, maxAttempts, style, params);
                index++;
            }
        } else {
            boolean skipDuplicates = params.onDuplicate() == OnDuplicate.SKIP;
            if (skipDuplicates) sql.query("dedup_lock", SqlParams.of("tenant", tenant), rs -> 1);
            String insert = skipDuplicates ? "meeting_insert_deduplicated" : "meeting_insert";
            // sent in batches of INSERT_BATCH rows (one round trip each on PostgreSQL): all 100,000 rows'
            // parameters at once do not fit in a small heap
            List<SqlParams> rows = new ArrayList<>(INSERT_BATCH);
            for (NewMeeting meeting : params.meetings()) {
                Tier tier = tierOf(params, tiers, index);
                SqlParams row = newMeetingParams(Ids.meetingId(params.now()), batchId, index, meeting, tier, maxAttempts,
                        style, params.lane(), params.now());
                if (skipDuplicates) {
                    row.set("match_title", meeting.titled() ? meeting.title() : null)
                            .set("tenant", tenant)
                            .set("analyzer", params.analyzer());
                }
                rows.add(row);
                index++;
                if (rows.size() == INSERT_BATCH) {
                    sql.updateAll(insert, rows);
                    rows.clear();
                }
            }
            sql.updateAll(insert, rows);
        }
        sql.update("batch_counts_init", SqlParams.of("batch_id", batchId)); // counted once here, then kept as meetings change
        return batchId;
    }

    /** A meeting is sensitive when its own tier or its batch's is. */
    private static Tier tierOf(BatchCreateParams params, List<Tier> tiers, int index) {
        boolean sensitive = params.tier() == Tier.SENSITIVE || (tiers != null && tiers.get(index) == Tier.SENSITIVE);
        return sensitive ? Tier.SENSITIVE : Tier.ORDINARY;
    }

    /**
     * Inserts the meeting; the tenant's meeting it duplicates, if any, gives way to it (on_duplicate=replace):
     * its result is no longer shown, and it is skipped if it has not started.
     */
    private static void insertReplacing(SqlRunner sql, String batchId, int index, NewMeeting meeting, Tier tier,
                                        String tenant, Integer maxAttempts, MinutesStyle style, BatchCreateParams params)
            throws SQLException {
        String id = Ids.meetingId(params.now());
        boolean toProcess = meeting.failure() == null && meeting.skipReason() == null;
        Optional<Original> original = toProcess
                ? sql.queryOne("meeting_find_original", SqlParams.of("content_hash", meeting.contentHash())
                        .set("title", meeting.titled() ? meeting.title() : null) // NULL = NULL is never true
                        .set("tier", tier.wireName())
                        .set("tenant", tenant)
                        .set("analyzer", params.analyzer()), Original::of)
                : Optional.empty();
        if (original.isPresent()) {
            Original o = original.get();
            sql.update("meeting_mark_replaced", SqlParams.of("meeting_id", o.id())
                    .set("replaced_by", id)
                    .set("skip_reason", "replaced by " + meeting.source() + " (meeting " + id + ", batch " + batchId + ")")
                    .set("now", params.now()));
            if (meeting.contentHash() != null) {
                sql.update("results_delete_by_hash", SqlParams.of("content_hash", meeting.contentHash()).set("tenant", tenant));
            }
        }
        sql.update("meeting_insert", newMeetingParams(id, batchId, index, meeting, tier, maxAttempts, style, params.lane(), params.now()));
    }

    /** One line of meeting_find_original.sql. */
    private record Original(String id, String batchId, String source) {
        static Original of(java.sql.ResultSet rs) throws SQLException {
            return new Original(rs.getString("id"), rs.getString("batch_id"), rs.getString("source"));
        }
    }

    private static SqlParams newMeetingParams(String id, String batchId, int index, NewMeeting meeting, Tier tier,
                                              Integer maxAttempts, MinutesStyle style, Lane lane, Instant now) {
        MeetingState state;
        Failure failure = null;
        String skipReason = meeting.skipReason();
        if (meeting.failure() != null) {
            state = MeetingState.FAILED;
            failure = Failure.of(Failure.Cause.INPUT, meeting.failure().message()); // refused at intake: its input
        } else if (skipReason != null) {
            state = MeetingState.SKIPPED;
        } else {
            state = MeetingState.QUEUED;
        }
        return SqlParams.of("id", id)
                .set("batch_id", batchId)
                .set("idx", index)
                .set("source", meeting.source())
                .set("title", meeting.title())
                .set("content_hash", meeting.contentHash())
                .set("state", state.wireName())
                .set("not_before", state == MeetingState.QUEUED ? now : null)
                .set("transcript_json", JsonCodec.transcriptToJson(meeting.transcript()))
                .set("blob_key", meeting.audio() == null ? null : meeting.audio().blobKey())
                .set("media_type", meeting.audio() == null ? null : meeting.audio().mediaType())
                .set("skip_reason", skipReason)
                .set("duplicate_of", null)
                .set("tier", tier.wireName())
                .set("max_attempts", maxAttempts)
                .set("lane", lane.wireName())
                .set("language", style == null || style.language().isAuto() ? null : style.language().code())
                .set("template", style == null ? null : style.template())
                .set("meeting_date", meeting.date() == null ? null : meeting.date().toString())
                .failure(failure)
                .set("now", now);
    }

    @Override
    public Purged batchesPurge(PurgeParams params) {
        return write("batchesPurge", sql -> {
            List<String> batchIds = sql.query("batches_purgeable",
                    SqlParams.of("finished_before", params.finishedBefore()), rs -> rs.getString("id"));
            Set<String> blobKeys = new LinkedHashSet<>();
            for (String batchId : batchIds) {
                blobKeys.addAll(sql.query("blob_keys_by_batch", SqlParams.of("batch_id", batchId), rs -> rs.getString("blob_key")));
                sql.update("batch_delete", SqlParams.of("batch_id", batchId));
            }
            Set<String> unreferenced = new LinkedHashSet<>();
            for (String key : blobKeys) {
                if (sql.queryOne("blob_key_in_use", SqlParams.of("blob_key", key), rs -> rs.getString("blob_key")).isEmpty()) {
                    unreferenced.add(key);
                }
            }
            return new Purged(batchIds.size(), unreferenced);
        });
    }

    // ---- budgets -------------------------------------------------------------------------------

    @Override
    public Optional<Budget> batchBudget(String batchId) {
        return read("batchBudget", sql -> budget(sql, batchId, ""));
    }

    /** The batch's budget, with what every open attempt but {@code exceptMeetingId}'s holds of it. */
    private static Optional<Budget> budget(SqlRunner sql, String batchId, String exceptMeetingId) throws SQLException {
        return sql.queryOne("batch_budget", SqlParams.of("batch_id", batchId).set("except_meeting_id", exceptMeetingId),
                rs -> {
                    Double limit = Rows.nullableDouble(rs, "budget_usd");
                    return limit == null ? null : new Budget(limit, rs.getDouble("spent_usd"), rs.getDouble("reserved_usd"),
                            rs.getInt("exhausted_meetings"));
                });
    }

    @Override
    public void batchBudgetSet(BatchBudgetParams params) {
        write("batchBudgetSet", sql -> sql.update("batch_budget_set",
                SqlParams.of("batch_id", params.batchId()).set("budget_usd", params.budgetUsd())));
    }

    // ---- deadlines -----------------------------------------------------------------------------

    @Override
    public Optional<BatchDeadline> batchDeadline(String batchId) {
        return read("batchDeadline", sql -> deadline(sql, batchId));
    }

    private static Optional<BatchDeadline> deadline(SqlRunner sql, String batchId) throws SQLException {
        return sql.queryOne("batch_deadline", SqlParams.of("batch_id", batchId), rs -> {
            Instant deadline = Rows.instant(rs, "deadline");
            return deadline == null ? null : new BatchDeadline(deadline, Rows.instant(rs, "submitted_at"));
        });
    }

    @Override
    public void batchDeadlineSet(BatchDeadlineParams params) {
        write("batchDeadlineSet", sql -> sql.update("batch_deadline_set",
                SqlParams.of("batch_id", params.batchId()).set("deadline", params.deadline())));
    }

    /** Lock the batch (PostgreSQL; SQLite's write lock does it), read what is spent and reserved, reserve if it fits. */
    @Override
    public Reservation meetingBudgetReserve(BudgetReserveParams params) {
        return write("meetingBudgetReserve", sql -> {
            Optional<String> batchId = sql.queryOne("batch_budget_lock", SqlParams.of("meeting_id", params.meetingId()),
                    rs -> rs.getString("batch_id"));
            if (batchId.isEmpty()) return new Reservation(false, Optional.empty());
            Optional<Budget> budget = budget(sql, batchId.get(), params.meetingId());
            if (budget.isEmpty()) return new Reservation(true, budget);
            if (!budget.get().allows(params.usd())) return new Reservation(false, budget);
            int held = sql.update("attempt_reserve", SqlParams.of("meeting_id", params.meetingId())
                    .set("attempt", params.attempt()).set("usd", params.usd()));
            return new Reservation(held == 1, budget);
        });
    }

    @Override
    public Optional<Batch> batchGet(String batchId) {
        return read("batchGet", sql -> loadBatch(sql, batchId));
    }

    @Override
    public Optional<Batch> batchFindByRunKey(String runKey) {
        return read("batchFindByRunKey", sql -> {
            Optional<BatchRow> row = sql.queryOne("batch_find_by_run_key", SqlParams.of("run_key", runKey), StoreRows::batch);
            return row.isEmpty() ? Optional.<Batch>empty() : Optional.of(withCounts(sql, row.get()));
        });
    }

    private static Optional<Batch> loadBatch(SqlRunner sql, String batchId) throws SQLException {
        Optional<BatchRow> row = sql.queryOne("batch_get", SqlParams.of("batch_id", batchId), StoreRows::batch);
        return row.isEmpty() ? Optional.empty() : Optional.of(withCounts(sql, row.get()));
    }

    private static Batch withCounts(SqlRunner sql, BatchRow row) throws SQLException {
        BatchCounts counts = BatchCounts.EMPTY;
        Usage usage = Usage.NONE;
        for (StateCount count : sql.query("batch_counts", SqlParams.of("batch_id", row.id()), StoreRows::stateCount)) {
            counts = counts.plus(count.state(), count.meetings());
            usage = usage.plus(count.usage());
        }
        return new Batch(row.id(), row.runKey(), row.provider(), row.submittedAt(), counts, usage, row.priority());
    }

    // ---- meetings ------------------------------------------------------------------------------

    @Override
    public List<Meeting> meetingsList(String batchId) {
        return readSnapshot("meetingsList", sql -> {
            SqlParams byBatch = SqlParams.of("batch_id", batchId);
            Map<String, List<Attempt>> attempts = new HashMap<>();
            for (AttemptRow row : sql.query("attempts_list_by_batch", byBatch, StoreRows::attempt)) {
                attempts.computeIfAbsent(row.meetingId(), id -> new ArrayList<>()).add(row.attempt());
            }
            return sql.query("meetings_list", byBatch,
                    rs -> StoreRows.meeting(rs, attempts.getOrDefault(rs.getString("id"), List.of())));
        });
    }

    @Override
    public List<Meeting> meetingsPage(MeetingsPageParams params) {
        return readSnapshot("meetingsPage", sql -> {
            SqlParams page = SqlParams.of("batch_id", params.batchId())
                    .set("after_index", params.afterIndex())
                    .set("limit", params.limit());
            Map<String, List<Attempt>> attempts = new HashMap<>();
            for (AttemptRow row : sql.query("attempts_page", page, StoreRows::attempt)) {
                attempts.computeIfAbsent(row.meetingId(), id -> new ArrayList<>()).add(row.attempt());
            }
            return sql.query("meetings_page", page,
                    rs -> StoreRows.meeting(rs, attempts.getOrDefault(rs.getString("id"), List.of())));
        });
    }

    @Override
    public List<ClaimedMeeting> meetingsClaim(ClaimParams params) {
        if (params.limit() <= 0) return List.of();
        Instant leaseExpiresAt = params.now().plus(params.lease());
        return write("meetingsClaim", sql -> {
            List<Claimable> due = sql.query("meetings_claimable",
                    SqlParams.of("now", params.now()).set("limit", params.limit()), StoreRows::claimable);
            // Updated in batch order, so the batches' count rows (V010) are locked in the same order by
            // every claim (PostgreSQL: no deadlock between nodes); returned in claim order. Sent as two
            // JDBC batches (one round trip each on PostgreSQL): the count rows stay locked until the
            // commit, and every claim and completion of the batch waits for them.
            List<Claimable> byBatch = due.stream().sorted(Comparator.comparing(Claimable::batchId)).toList();
            List<SqlParams> claims = new ArrayList<>(byBatch.size());
            for (Claimable meeting : byBatch) {
                claims.add(SqlParams.of("meeting_id", meeting.id())
                        .set("owner", params.owner())
                        .set("lease_expires_at", leaseExpiresAt)
                        .set("now", params.now()));
            }
            int[] updated = sql.updateAll("meeting_claim", claims);
            Map<String, ClaimedMeeting> claimedById = new HashMap<>();
            List<SqlParams> attempts = new ArrayList<>(byBatch.size());
            for (int i = 0; i < byBatch.size(); i++) {
                if (updated[i] != 1) continue; // not queued any more: someone else's, never ours
                ClaimedMeeting claim = byBatch.get(i).claimed(leaseExpiresAt);
                attempts.add(SqlParams.of("meeting_id", claim.id())
                        .set("number", claim.attempt())
                        .set("now", params.now()));
                claimedById.put(claim.id(), claim);
            }
            sql.updateAll("attempt_open", attempts);
            List<ClaimedMeeting> claimed = new ArrayList<>(claimedById.size());
            for (Claimable meeting : due) {
                ClaimedMeeting claim = claimedById.get(meeting.id());
                if (claim != null) claimed.add(claim);
            }
            return claimed;
        });
    }

    @Override
    public Set<String> meetingsHeartbeat(HeartbeatParams params) {
        if (params.meetingIds().isEmpty()) return Set.of();
        Instant leaseExpiresAt = params.now().plus(params.lease());
        return write("meetingsHeartbeat", sql -> {
            Set<String> extended = new LinkedHashSet<>();
            // in id order, so two transactions touching the same rows lock them in the same order
            for (String id : params.meetingIds().stream().sorted().toList()) {
                int updated = sql.update("meeting_heartbeat", SqlParams.of("meeting_id", id)
                        .set("owner", params.owner())
                        .set("lease_expires_at", leaseExpiresAt)
                        .set("now", params.now()));
                if (updated == 1) extended.add(id);
            }
            return extended;
        });
    }

    @Override
    public boolean meetingFinish(FinishParams params) {
        return writeQueueing("meetingFinish", sql -> finish(sql, params),
                landed -> landed && params.outcome() instanceof Outcome.RetryAt);
    }

    /**
     * The one guarded finish: each outcome has its own SQL (meeting_complete, meeting_retry,
     * meeting_fail, meeting_skip), all guarded by the lease (running, leased to the owner, on this
     * attempt); the attempt is closed only when the guard let the write through.
     */
    protected boolean finish(SqlRunner sql, FinishParams params) throws SQLException {
        return finish(sql, params, null);
    }

    /**
     * @param lostLease null for an outcome the owner wrote; for one the reaper wrote, what the lost
     *                  attempt is closed with (the meeting's own failure may say more: a crash loop),
     *                  and a retry then uses none of the meeting's attempts but counts a lease lost in a row
     */
    private boolean finish(SqlRunner sql, FinishParams params, Failure lostLease) throws SQLException {
        SqlParams guarded = leaseGuard(params.meetingId(), params.owner(), params.attempt()).set("now", params.now());
        Failure attemptFailure = null;
        int updated = switch (params.outcome()) {
            case Outcome.Completed done -> sql.update("meeting_complete", completion(guarded, done));
            case Outcome.RetryAt retry -> {
                attemptFailure = retry.failure();
                yield sql.update("meeting_retry", guarded
                        .failure(retry.failure())
                        .set("rate_limited", retry.failure().rateLimited())
                        .set("free_attempt", !retry.failure().usesAnAttempt())
                        .set("lease_lost", lostLease != null)
                        .set("not_before", retry.notBefore()));
            }
            case Outcome.Failed failed -> {
                attemptFailure = failed.failure();
                yield sql.update("meeting_fail", guarded.failure(failed.failure()));
            }
            case Outcome.Skipped skipped -> sql.update("meeting_skip", guarded.set("skip_reason", skipped.reason()));
        };
        if (updated == 0) return false;
        closeAttempt(sql, params.meetingId(), params.attempt(), lostLease != null ? lostLease : attemptFailure, params.now());
        return true;
    }

    /**
     * The parameters of meeting_complete.sql: the minutes, the usage, the lane whose calls answered (null: as stored)
     * and what the usage costs at the list price (null: its cost).
     */
    protected static SqlParams completion(SqlParams guarded, Outcome.Completed done) {
        return guarded.set("analysis_json", JsonCodec.analysisToJson(done.analysis()))
                .set("input_tokens", done.usage().inputTokens())
                .set("output_tokens", done.usage().outputTokens())
                .set("cost_usd", done.usage().costUsd())
                .set("lane", done.lane() == null ? null : done.lane().wireName())
                .set("list_cost_usd", done.listCostUsd());
    }

    @Override
    public boolean meetingTranscribed(TranscribedParams params) {
        TranscriptionUsage usage = params.usage() == null ? TranscriptionUsage.NONE : params.usage();
        return write("meetingTranscribed", sql -> {
            int updated = sql.update("meeting_transcribed", leaseGuard(params.meetingId(), params.owner(), params.attempt())
                    .set("transcript_json", JsonCodec.transcriptToJson(params.transcript()))
                    .set("audio_seconds", usage.audioSeconds())
                    .set("transcription_cost_usd", usage.costUsd())
                    .set("now", params.now()));
            if (updated == 0) return false;
            sql.update("attempt_settle", SqlParams.of("meeting_id", params.meetingId()).set("attempt", params.attempt()));
            return true;
        });
    }

    // ---- rate windows learned -------------------------------------------------------------------

    @Override
    public Optional<Instant> rateWindowPerSecondSince(String provider, String model) {
        return read("rateWindowPerSecondSince", sql -> sql.queryOne("rate_window_per_second_since",
                SqlParams.of("provider", provider).set("model", model), rs -> Rows.instant(rs, "learned_at")));
    }

    @Override
    public void rateWindowPerSecondLearned(String provider, String model, Instant at) {
        write("rateWindowPerSecondLearned", sql -> sql.update("rate_window_per_second_learned",
                SqlParams.of("provider", provider).set("model", model).set("at", at)));
    }

    // ---- result cache --------------------------------------------------------------------------

    @Override
    public Optional<Analysis> resultFind(ResultKey key) {
        return read("resultFind", sql -> sql.queryOne("result_find", resultKeyParams(key),
                rs -> JsonCodec.analysisFromJson(rs.getString("analysis_json"))));
    }

    @Override
    public void resultPut(ResultKey key, Analysis analysis, Instant now) {
        write("resultPut", sql -> sql.update("result_put", resultKeyParams(key)
                .set("analysis_json", JsonCodec.analysisToJson(analysis))
                .set("now", now)));
    }

    private static SqlParams resultKeyParams(ResultKey key) {
        return SqlParams.of("content_hash", key.contentHash())
                .set("analysis_version", key.analysisVersion())
                .set("provider", key.provider())
                .set("model", key.model())
                .set("tenant", key.tenant());
    }

    @Override
    public boolean meetingRelease(ReleaseParams params) {
        return writeQueueing("meetingRelease", sql -> {
            int updated = sql.update("meeting_release", SqlParams.of("meeting_id", params.meetingId())
                    .set("owner", params.owner())
                    .set("now", params.now()));
            if (updated == 0) return false;
            sql.update("attempt_delete_open", SqlParams.of("meeting_id", params.meetingId()));
            return true;
        }, released -> released);
    }

    protected static SqlParams leaseGuard(String meetingId, String owner, int attempt) {
        return SqlParams.of("meeting_id", meetingId).set("owner", owner).set("attempt", attempt);
    }

    private static void closeAttempt(SqlRunner sql, String meetingId, int number, Failure failure, Instant now)
            throws SQLException {
        sql.update("attempt_close", SqlParams.of("meeting_id", meetingId)
                .set("number", number)
                .failure(failure)
                .set("now", now));
    }

    /**
     * Selects the lost leases (meetings_reapable.sql: locked on PostgreSQL, under the write lock on
     * SQLite), asks {@code params.outcomes()} what becomes of each, and writes that through
     * {@link #finish}, the same lease guard as every finish (the owner and attempt just read).
     */
    @Override
    public int meetingsReap(ReapParams params) {
        return writeQueueing("meetingsReap", sql -> {
            List<LostLease> lost = sql.query("meetings_reapable",
                    SqlParams.of("now", params.now()).set("owner", params.owner()),
                    rs -> {
                        String owner = rs.getString("lease_owner");
                        int attempt = rs.getInt("attempt_count");
                        return new LostLease(rs.getString("id"), owner, attempt, attempt - rs.getInt("attempt_base"),
                                Rows.nullableInt(rs, "max_attempts"), rs.getInt("leases_lost_in_a_row") + 1,
                                Failure.of(Failure.Cause.LEASE_LOST, owner.equals(params.owner()) ? WORKER_STOPPED : LEASE_EXPIRED));
                    });
            int reaped = 0;
            int requeued = 0;
            for (LostLease lease : lost) {
                Outcome outcome = params.outcomes().decide(lease, params.now());
                if (!(outcome instanceof Outcome.RetryAt || outcome instanceof Outcome.Failed)) {
                    throw new IllegalArgumentException("a lost lease is retried or fails, not " + outcome);
                }
                FinishParams finish = new FinishParams(lease.meetingId(), lease.owner(), lease.attempt(), outcome, params.now());
                if (finish(sql, finish, lease.failure())) {
                    reaped++;
                    if (outcome instanceof Outcome.RetryAt) requeued++;
                }
            }
            return new Reaped(reaped, requeued);
        }, reaped -> reaped.requeued() > 0).taken();
    }

    /** What one reap took back, and how many of those it queued again (the rest failed). */
    private record Reaped(int taken, int requeued) {
    }

    @Override
    public Optional<Instant> meetingRateLimitedSince(String meetingId) {
        return read("meetingRateLimitedSince", sql -> sql.queryOne("meeting_rate_limited_since",
                SqlParams.of("meeting_id", meetingId), rs -> Rows.instant(rs, "rate_limited_since")));
    }

    @Override
    public int meetingsRequeue(RequeueParams params) {
        // RequeueParams allows two sets of states: the failed meetings, with or without the cancelled ones
        return writeQueueing("meetingsRequeue", sql -> sql.update("meetings_requeue", SqlParams.of("batch_id", params.batchId())
                .set("with_cancelled", params.states().contains(MeetingState.CANCELLED))
                .set("now", params.now())), requeued -> requeued > 0);
    }

    @Override
    public Set<String> leaseOwners() {
        return read("leaseOwners", sql -> new LinkedHashSet<>(
                sql.query("lease_owners", SqlParams.none(), rs -> rs.getString("lease_owner"))));
    }

    @Override
    public Set<String> meetingsHeldBy(String owner) {
        return read("meetingsHeldBy", sql -> new LinkedHashSet<>(
                sql.query("meetings_held_by", SqlParams.of("owner", owner), rs -> rs.getString("id"))));
    }

    @Override
    public Optional<Instant> nextDueAt() {
        return read("nextDueAt", sql -> sql.queryOne("next_due_at", SqlParams.none(), rs -> Rows.instant(rs, "next_due_at")));
    }

    @Override
    public void checkWritable() {
        write("checkWritable", sql -> sql.update("store_check_writable", SqlParams.none()));
    }
    // ---- the HTTP service's operations -----------------------------------------------------------

    @Override
    public Optional<Submission> submissionGet(String batchId) {
        return read("submissionGet", sql -> submission(sql, batchId));
    }

    private static Optional<Submission> submission(SqlRunner sql, String batchId) throws SQLException {
        return sql.queryOne("submission_get", SqlParams.of("batch_id", batchId),
                rs -> {
                    String language = rs.getString("language");
                    String template = rs.getString("template");
                    String lane = rs.getString("lane");
                    MinutesStyle style = language == null && template == null ? null
                            : new MinutesStyle(language == null ? LanguageChoice.AUTO : new LanguageChoice(language), template);
                    return new Submission(rs.getString("tenant"), OnDuplicate.fromWire(rs.getString("on_duplicate")),
                            rs.getString("priority"), Rows.nullableInt(rs, "max_attempts"),
                            Rows.nullableDouble(rs, "budget_usd"), rs.getBoolean("allow_over_budget"), style,
                            lane == null ? null : LaneChoice.fromWire(lane));
                });
    }

    /** Five queries (batch, counts, submission, budget, meetings) in one read transaction: one snapshot. */
    @Override
    public Optional<BatchView> batchView(String batchId) {
        return readSnapshot("batchView", sql -> {
            Optional<Batch> batch = loadBatch(sql, batchId);
            if (batch.isEmpty()) return Optional.<BatchView>empty();
            SqlParams byBatch = SqlParams.of("batch_id", batchId);
            return Optional.of(new BatchView(batch.get(), submission(sql, batchId).orElse(null),
                    budget(sql, batchId, "").orElse(null), briefMeetings(sql, batchId), deadline(sql, batchId).orElse(null),
                    sql.query("provider_batches_by_batch", byBatch, StoreRows::providerBatch)));
        });
    }

    @Override
    public List<Batch> batchPage(BatchPageParams params) {
        return readSnapshot("batchPage", sql -> {
            List<BatchRow> rows = sql.query("batch_page", SqlParams.of("tenant", params.tenant())
                    .set("before", params.before()).set("limit", params.limit()), StoreRows::batch);
            List<Batch> batches = new ArrayList<>(rows.size());
            for (BatchRow row : rows) batches.add(withCounts(sql, row));
            return batches;
        });
    }

    @Override
    public List<Meeting> meetingsBrief(String batchId) {
        return read("meetingsBrief", sql -> briefMeetings(sql, batchId));
    }

    private static List<Meeting> briefMeetings(SqlRunner sql, String batchId) throws SQLException {
        return sql.query("meetings_list_brief", SqlParams.of("batch_id", batchId), rs -> StoreRows.meeting(rs, List.of()));
    }

    @Override
    public int batchCancel(BatchCancelParams params) {
        return write("batchCancel", sql -> {
            SqlParams byBatch = SqlParams.of("batch_id", params.batchId()).set("now", params.now());
            int cancelled = sql.update("batch_cancel", byBatch);
            sql.update("attempts_close_cancelled", byBatch);
            return cancelled;
        });
    }

    @Override
    public Optional<MeetingDetail> meetingGet(String meetingId) {
        return readSnapshot("meetingGet", sql -> {
            SqlParams byId = SqlParams.of("meeting_id", meetingId);
            List<Attempt> attempts = sql.query("attempts_list_by_meeting", byId, rs -> StoreRows.attempt(rs).attempt());
            return sql.queryOne("meeting_get", byId, rs -> new MeetingDetail(StoreRows.meeting(rs, attempts),
                    JsonCodec.transcriptFromJson(rs.getString("transcript_json")), Tier.fromWire(rs.getString("tier"))));
        });
    }

    @Override
    public Totals countsAll() {
        return read("countsAll", sql -> {
            BatchCounts counts = BatchCounts.EMPTY;
            Usage usage = Usage.NONE;
            for (StateCount count : sql.query("counts_all", SqlParams.none(), StoreRows::stateCount)) {
                counts = counts.plus(count.state(), count.meetings());
                usage = usage.plus(count.usage());
            }
            return new Totals(counts, usage);
        });
    }

    @Override
    public void apiKeyCreate(ApiKeyCreateParams params) {
        write("apiKeyCreate", sql -> {
            boolean first = sql.queryOne("api_keys_count", SqlParams.none(), rs -> rs.getInt("n")).orElse(0) == 0;
            sql.update("api_key_insert", SqlParams.of("key_hash", params.keyHash())
                    .set("tenant", params.tenant()).set("now", params.now()));
            if (first) {
                sql.update("submissions_adopt_keyless", SqlParams.of("tenant", params.tenant()));
                sql.update("submissions_insert_keyless", SqlParams.of("tenant", params.tenant()));
            }
            return null;
        });
    }

    @Override
    public Optional<String> apiKeyTenant(String keyHash) {
        return read("apiKeyTenant", sql -> sql.queryOne("api_key_tenant", SqlParams.of("key_hash", keyHash),
                rs -> rs.getString("tenant")));
    }

    @Override
    public int apiKeysCount() {
        return read("apiKeysCount", sql -> sql.queryOne("api_keys_count", SqlParams.none(), rs -> rs.getInt("n")).orElse(0));
    }

    @Override
    public Optional<String> batchFirstTitle(String batchId) {
        return read("batchFirstTitle", sql -> sql.queryOne("batch_first_title", SqlParams.of("batch_id", batchId),
                rs -> rs.getString("title")));
    }

    @Override
    public List<ApiKey> apiKeysList() {
        return read("apiKeysList", sql -> sql.query("api_keys_list", SqlParams.none(),
                rs -> new ApiKey(rs.getString("key_hash"), rs.getString("tenant"), Rows.instant(rs, "created_at"))));
    }

    @Override
    public boolean apiKeyRevoke(ApiKeyRevokeParams params) {
        return write("apiKeyRevoke", sql -> sql.update("api_key_delete", SqlParams.of("key_hash", params.keyHash()))) > 0;
    }

    // ---- the batch lane: provider batches ---------------------------------------------------------

    @Override
    public List<ClaimedMeeting> meetingsLaneDue(LaneDueParams params) {
        if (params.limit() <= 0) return List.of();
        return read("meetingsLaneDue", sql -> sql.query("meetings_lane_due",
                SqlParams.of("now", params.now()).set("limit", params.limit()), rs -> StoreRows.claimable(rs).claimed(null)));
    }

    @Override
    public int meetingsLaneSet(LaneSetParams params) {
        if (params.meetingIds().isEmpty()) return 0;
        return writeQueueing("meetingsLaneSet", sql -> {
            int planned = 0;
            for (String id : params.meetingIds().stream().sorted().toList()) {
                planned += sql.update("meeting_lane_set", SqlParams.of("meeting_id", id)
                        .set("lane", params.lane().wireName()).set("now", params.now()));
            }
            return planned;
        }, planned -> planned > 0 && params.lane() != Lane.BATCH);
    }

    /**
     * Lock the ledger of the provider and model, read its headroom, move each line's meeting while it fits; a line of a
     * batch with a budget first locks the batch (as a realtime reservation does: the ledger, then the batch, then the
     * meeting, on every node) and reserves its price on the attempt it opens, or is skipped when the price does not fit.
     */
    @Override
    public Optional<Packed> providerBatchPack(PackParams params) {
        if (params.lines().isEmpty()) return Optional.empty();
        return write("providerBatchPack", sql -> {
            SqlParams pair = SqlParams.of("provider", params.provider()).set("model", params.model());
            sql.query("provider_batch_ledger_lock", pair, rs -> 1);
            long reserved = sql.queryOne("provider_batch_ledger", pair, rs -> rs.getLong("tokens")).orElse(0L);
            long headroom = params.enqueuedTokenLimit() <= 0 ? Long.MAX_VALUE : params.enqueuedTokenLimit() - reserved;
            List<String> taken = new ArrayList<>();
            Map<String, String> refused = new LinkedHashMap<>();
            long tokens = 0;
            for (PackLine line : params.lines()) {
                if (line.inputTokens() > headroom - tokens) continue; // a smaller line further on may still fit
                Optional<String> refusal = line.maxCostUsd() > 0 ? budgetRefusal(sql, line) : Optional.empty();
                if (refusal.isPresent()) {
                    if (sql.update("meeting_lane_skip", SqlParams.of("meeting_id", line.meetingId())
                            .set("skip_reason", refusal.get()).set("now", params.now())) == 1) {
                        refused.put(line.meetingId(), refusal.get());
                    }
                    continue;
                }
                int moved = sql.update("meeting_pack", SqlParams.of("meeting_id", line.meetingId())
                        .set("provider_batch", params.id()).set("now", params.now()));
                if (moved == 0) continue; // no longer queued for the lane: cancelled, or another node's
                sql.update("attempt_open_current", SqlParams.of("meeting_id", line.meetingId()).set("now", params.now())
                        .set("reserved_usd", line.maxCostUsd()));
                taken.add(line.meetingId());
                tokens += line.inputTokens();
            }
            if (taken.isEmpty()) return refused.isEmpty() ? Optional.<Packed>empty()
                    : Optional.of(new Packed(null, List.of(), refused));
            sql.update("provider_batch_insert", SqlParams.of("id", params.id())
                    .set("provider", params.provider())
                    .set("model", params.model())
                    .set("lines", taken.size())
                    .set("enqueued_tokens", tokens)
                    .set("owner", params.owner())
                    .set("lease_expires_at", params.now().plus(params.lease()))
                    .set("now", params.now()));
            ProviderBatch stored = sql.queryOne("provider_batch_get", SqlParams.of("id", params.id()), StoreRows::providerBatch)
                    .orElseThrow();
            return Optional.of(new Packed(stored, taken, refused));
        });
    }

    /** Why the line's batch budget cannot take its price now (its batch locked first), or empty when it can. */
    private static Optional<String> budgetRefusal(SqlRunner sql, PackLine line) throws SQLException {
        Optional<String> batchId = sql.queryOne("batch_budget_lock", SqlParams.of("meeting_id", line.meetingId()),
                rs -> rs.getString("batch_id"));
        if (batchId.isEmpty()) return Optional.empty(); // gone: meeting_pack leaves it alone
        return budget(sql, batchId.get(), line.meetingId())
                .filter(b -> !b.allows(line.maxCostUsd()))
                .map(b -> b.refusal(line.maxCostUsd()) + " at the batch price");
    }

    @Override
    public boolean providerBatchRecord(ProviderBatchRecordParams params) {
        ProviderBatches.Counts counts = params.counts();
        return write("providerBatchRecord", sql -> sql.update("provider_batch_record", SqlParams.of("id", params.id())
                .set("owner", params.owner())
                .set("state", params.state().wireName())
                .set("staged_ref", params.stagedRef())
                .set("remote_id", params.remoteId())
                .set("total", counts == null ? null : counts.total())
                .set("succeeded", counts == null ? null : counts.succeeded())
                .set("errored", counts == null ? null : counts.errored())
                .set("not_run", counts == null ? null : counts.notRun())
                .set("remote_status", params.remoteStatus())
                .set("created_at", params.createdAt())
                .set("ended_at", params.endedAt())
                .set("failure", params.failure())
                .set("lease_expires_at", params.now().plus(params.lease()))
                .set("now", params.now())) == 1);
    }

    @Override
    public List<ProviderBatch> providerBatchesLease(ProviderBatchLeaseParams params) {
        if (params.limit() <= 0) return List.of();
        return write("providerBatchesLease", sql -> {
            List<String> ids = sql.query("provider_batches_leasable", SqlParams.of("provider", params.provider())
                    .set("model", params.model()).set("now", params.now()).set("owner", params.owner())
                    .set("dead_owner", params.deadOwner()).set("limit", params.limit()), rs -> rs.getString("id"));
            List<ProviderBatch> leased = new ArrayList<>(ids.size());
            for (String id : ids) {
                sql.update("provider_batch_lease", SqlParams.of("id", id).set("owner", params.owner())
                        .set("lease_expires_at", params.now().plus(params.lease())).set("now", params.now()));
                sql.queryOne("provider_batch_get", SqlParams.of("id", id), StoreRows::providerBatch).ifPresent(leased::add);
            }
            return leased;
        });
    }

    @Override
    public Optional<ProviderBatch> providerBatchGet(String id) {
        return read("providerBatchGet", sql -> sql.queryOne("provider_batch_get", SqlParams.of("id", id), StoreRows::providerBatch));
    }

    @Override
    public Set<String> providerBatchOwners(String provider, String model) {
        return read("providerBatchOwners", sql -> new LinkedHashSet<>(sql.query("provider_batch_owners",
                SqlParams.of("provider", provider).set("model", model), rs -> rs.getString("lease_owner"))));
    }

    @Override
    public List<ClaimedMeeting> providerBatchMeetings(String id) {
        return read("providerBatchMeetings", sql -> sql.query("provider_batch_meetings",
                SqlParams.of("provider_batch", id), rs -> StoreRows.claimable(rs).waiting()));
    }

    /** The guard (the meeting still waiting in this provider batch, its row locked), the outcome's SQL, the attempt closed. */
    @Override
    public boolean meetingLineFinish(LineFinishParams params) {
        return writeQueueing("meetingLineFinish", sql -> {
            SqlParams guarded = SqlParams.of("meeting_id", params.meetingId())
                    .set("provider_batch", params.providerBatchId()).set("now", params.now());
            Optional<Integer> attempt = sql.queryOne("meeting_line_guard", guarded, rs -> rs.getInt("attempt_count"));
            if (attempt.isEmpty()) return false;
            Failure attemptFailure = null;
            int updated = switch (params.outcome()) {
                case Outcome.Completed done -> sql.update("meeting_line_complete", guarded
                        .set("analysis_json", JsonCodec.analysisToJson(done.analysis()))
                        .set("input_tokens", done.usage().inputTokens())
                        .set("output_tokens", done.usage().outputTokens())
                        .set("cost_usd", done.usage().costUsd())
                        .set("list_cost_usd", params.listCostUsd()));
                case Outcome.RetryAt retry -> {
                    attemptFailure = retry.failure();
                    yield sql.update("meeting_line_retry", guarded.failure(retry.failure())
                            .set("rate_limited", retry.failure().rateLimited())
                            .set("not_before", retry.notBefore()));
                }
                case Outcome.Failed failed -> {
                    attemptFailure = failed.failure();
                    yield sql.update("meeting_line_fail", guarded.failure(failed.failure()));
                }
                case Outcome.Skipped skipped -> throw new IllegalArgumentException("a line is not skipped: " + skipped);
            };
            if (updated == 0) return false;
            closeAttempt(sql, params.meetingId(), attempt.get(), attemptFailure, params.now());
            return true;
        }, finished -> finished && params.outcome() instanceof Outcome.RetryAt);
    }

    @Override
    public int providerBatchRelease(ProviderBatchReleaseParams params) {
        return writeQueueing("providerBatchRelease", sql -> {
            SqlParams byBatch = SqlParams.of("provider_batch", params.id()).set("now", params.now());
            sql.update("attempts_delete_open_by_provider_batch", byBatch);
            return sql.update("provider_batch_release", byBatch);
        }, released -> released > 0);
    }

    @Override
    public long providerBatchLedger(String provider, String model) {
        return read("providerBatchLedger", sql -> sql.queryOne("provider_batch_ledger",
                SqlParams.of("provider", provider).set("model", model), rs -> rs.getLong("tokens")).orElse(0L));
    }

    @Override
    public List<java.time.Duration> providerBatchDurations(ProviderBatchDurationsParams params) {
        return read("providerBatchDurations", sql -> sql.query("provider_batch_durations",
                SqlParams.of("provider", params.provider()).set("model", params.model()).set("limit", params.limit()),
                rs -> java.time.Duration.between(Rows.instant(rs, "created_at"), Rows.instant(rs, "ended_at"))));
    }
}
