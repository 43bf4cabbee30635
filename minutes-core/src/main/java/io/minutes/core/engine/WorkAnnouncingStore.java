package io.minutes.core.engine;

import io.minutes.core.domain.Batch;
import io.minutes.core.domain.Budget;
import io.minutes.core.domain.MeetingState;
import io.minutes.core.domain.ClaimedMeeting;
import io.minutes.core.domain.Meeting;
import io.minutes.core.domain.Submission;
import io.minutes.core.port.MeetingStore;
import io.minutes.core.port.RateWindows;
import io.minutes.core.port.ResultCache;
import io.minutes.core.domain.Analysis;
import java.time.Instant;
import io.minutes.core.port.StoreEvents;

import java.time.Instant;
import java.util.List;
import java.util.Optional;
import java.util.Set;

/**
 * A {@link MeetingStore} that announces on {@link StoreEvents#workAdded()} every write that queues
 * meetings (a new batch, a retry, a lease given back or reaped, a rerun), so the idle dispatchers of
 * every node look for work now. A retry due later wakes them too: they then wait until the store's
 * {@code nextDueAt}.
 */
public final class WorkAnnouncingStore implements MeetingStore, ResultCache, RateWindows {
    private final MeetingStore store;
    private final StoreEvents events;

    public WorkAnnouncingStore(MeetingStore store, StoreEvents events) {
        this.store = store;
        this.events = events;
    }

    @Override
    public Batch batchCreate(BatchCreateParams params) {
        Batch batch = store.batchCreate(params);
        if (batch.counts().queued() > 0) events.workAdded();
        return batch;
    }

    /** A retry queues the meeting again: announced once written. */
    @Override
    public boolean meetingFinish(FinishParams params) {
        boolean written = store.meetingFinish(params);
        if (params.outcome().state() == MeetingState.QUEUED) announcedIf(written);
        return written;
    }

    @Override
    public Optional<Instant> meetingRateLimitedSince(String meetingId) {
        return store.meetingRateLimitedSince(meetingId);
    }

    @Override
    public boolean meetingRelease(ReleaseParams params) {
        return announcedIf(store.meetingRelease(params));
    }

    @Override
    public int meetingsReap(ReapParams params) {
        int reaped = store.meetingsReap(params);
        announcedIf(reaped > 0);
        return reaped;
    }

    @Override
    public int meetingsRequeue(RequeueParams params) {
        int requeued = store.meetingsRequeue(params);
        announcedIf(requeued > 0);
        return requeued;
    }

    private boolean announcedIf(boolean queued) {
        if (queued) events.workAdded();
        return queued;
    }

    // ---- the rest go straight through ----------------------------------------------------------

    @Override
    public void checkWritable() {
        store.checkWritable();
    }

    @Override
    public List<MeetingState> batchPreview(BatchSubmitParams params) {
        return store.batchPreview(params);
    }

    @Override
    public Optional<Budget> batchBudget(String batchId) {
        return store.batchBudget(batchId);
    }

    @Override
    public void batchBudgetSet(BatchBudgetParams params) {
        store.batchBudgetSet(params);
    }

    @Override
    public Reservation meetingBudgetReserve(BudgetReserveParams params) {
        return store.meetingBudgetReserve(params);
    }

    @Override
    public Purged batchesPurge(PurgeParams params) {
        return store.batchesPurge(params);
    }

    /** The wrapped store's result cache, when it keeps one. */
    private ResultCache cache() {
        return store instanceof ResultCache cache ? cache : ResultCache.NONE;
    }

    @Override
    public Optional<Analysis> resultFind(ResultKey key) {
        return cache().resultFind(key);
    }

    @Override
    public void resultPut(ResultKey key, Analysis analysis, Instant now) {
        cache().resultPut(key, analysis, now);
    }

    @Override
    public Optional<Instant> rateWindowPerSecondSince(String provider) {
        return windows().rateWindowPerSecondSince(provider);
    }

    @Override
    public void rateWindowPerSecondLearned(String provider, Instant at) {
        windows().rateWindowPerSecondLearned(provider, at);
    }

    private RateWindows windows() {
        return store instanceof RateWindows windows ? windows : RateWindows.NONE;
    }

    @Override
    public Optional<Batch> batchGet(String batchId) {
        return store.batchGet(batchId);
    }

    @Override
    public Optional<Batch> batchFindByRunKey(String runKey) {
        return store.batchFindByRunKey(runKey);
    }

    @Override
    public List<Meeting> meetingsList(String batchId) {
        return store.meetingsList(batchId);
    }

    @Override
    public List<Meeting> meetingsPage(MeetingsPageParams params) {
        return store.meetingsPage(params);
    }

    @Override
    public List<ClaimedMeeting> meetingsClaim(ClaimParams params) {
        return store.meetingsClaim(params);
    }

    @Override
    public Set<String> meetingsHeartbeat(HeartbeatParams params) {
        return store.meetingsHeartbeat(params);
    }

    @Override
    public boolean meetingTranscribed(TranscribedParams params) {
        return store.meetingTranscribed(params);
    }

    @Override
    public Set<String> leaseOwners() {
        return store.leaseOwners();
    }

    @Override
    public Set<String> meetingsHeldBy(String owner) {
        return store.meetingsHeldBy(owner);
    }

    @Override
    public Optional<Instant> nextDueAt() {
        return store.nextDueAt();
    }

    @Override
    public void close() {
        store.close();
    }

    @Override
    public Batch batchSubmit(BatchSubmitParams params) {
        Batch batch = store.batchSubmit(params);
        if (batch.counts().queued() > 0) events.workAdded();
        return batch;
    }

    @Override
    public int meetingsRetryFailed(RequeueParams params) {
        int requeued = store.meetingsRetryFailed(params);
        announcedIf(requeued > 0);
        return requeued;
    }

    @Override
    public Optional<Submission> submissionGet(String batchId) {
        return store.submissionGet(batchId);
    }

    @Override
    public List<Batch> batchPage(BatchPageParams params) {
        return store.batchPage(params);
    }

    @Override
    public List<Meeting> meetingsBrief(String batchId) {
        return store.meetingsBrief(batchId);
    }

    @Override
    public int batchCancel(BatchCancelParams params) {
        return store.batchCancel(params);
    }

    @Override
    public Optional<MeetingDetail> meetingGet(String meetingId) {
        return store.meetingGet(meetingId);
    }

    @Override
    public Totals countsAll() {
        return store.countsAll();
    }

    @Override
    public void apiKeyCreate(ApiKeyCreateParams params) {
        store.apiKeyCreate(params);
    }

    @Override
    public Optional<String> apiKeyTenant(String keyHash) {
        return store.apiKeyTenant(keyHash);
    }

    @Override
    public int apiKeysCount() {
        return store.apiKeysCount();
    }

    @Override
    public Optional<String> batchFirstTitle(String batchId) {
        return store.batchFirstTitle(batchId);
    }

    @Override
    public List<ApiKey> apiKeysList() {
        return store.apiKeysList();
    }

    @Override
    public boolean apiKeyRevoke(ApiKeyRevokeParams params) {
        return store.apiKeyRevoke(params);
    }
}
