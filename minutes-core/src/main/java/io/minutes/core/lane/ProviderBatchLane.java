package io.minutes.core.lane;

import io.minutes.core.domain.Analysis;
import io.minutes.core.domain.BatchCounts;
import io.minutes.core.domain.ClaimedMeeting;
import io.minutes.core.domain.Failure;
import io.minutes.core.domain.Lane;
import io.minutes.core.domain.MeetingState;
import io.minutes.core.domain.ProgressEvent;
import io.minutes.core.domain.ProviderBatchProgress;
import io.minutes.core.domain.Tier;
import io.minutes.core.engine.RetryPolicy;
import io.minutes.core.engine.WorkerId;
import io.minutes.core.port.Analyzer;
import io.minutes.core.port.AnalyzerException;
import io.minutes.core.port.EventSink;
import io.minutes.core.port.MeetingQueue.Outcome;
import io.minutes.core.port.MeetingStore;
import io.minutes.core.port.ProviderBatchStore.LaneDueParams;
import io.minutes.core.port.ProviderBatchStore.LaneSetParams;
import io.minutes.core.port.ProviderBatchStore.LineFinishParams;
import io.minutes.core.port.ProviderBatchStore.PackLine;
import io.minutes.core.port.ProviderBatchStore.PackParams;
import io.minutes.core.port.ProviderBatchStore.Packed;
import io.minutes.core.port.ProviderBatchStore.ProviderBatch;
import io.minutes.core.port.ProviderBatchStore.ProviderBatchLeaseParams;
import io.minutes.core.port.ProviderBatchStore.ProviderBatchRecordParams;
import io.minutes.core.port.ProviderBatchStore.ProviderBatchReleaseParams;
import io.minutes.core.port.ProviderBatchStore.ProviderBatchState;
import io.minutes.core.port.ProviderBatches;
import io.minutes.core.port.ProviderBatches.LineResult;
import io.minutes.core.port.ProviderBatches.Remote;
import io.minutes.core.port.ResultCache;
import io.minutes.core.port.StoreUnavailableException;
import io.minutes.core.style.Style;
import io.minutes.core.style.Stylist;
import io.minutes.core.trust.CheckedAnalyzer;
import io.minutes.core.trust.UnsupportedItems;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.locks.Condition;
import java.util.concurrent.locks.ReentrantLock;
import java.util.function.Consumer;
import java.util.function.Predicate;

/**
 * The batch lane: meetings planned for a provider batch are packed into one (within the provider's
 * {@link ProviderBatches.Limits limits} and the enqueued-token ledger), sent, polled, and finished one by
 * one as their lines are read. Every step is stored before the next call to the provider: the intent
 * (a key, also sent to the provider) before anything is staged, the staged reference before the create,
 * the remote id once created; a node that takes over an expired lease resumes from that state, looks the
 * provider batch up by its key before it would create one, and so never creates a second one.
 *
 * <p>Lines are built through the same chain as the realtime lane's calls ({@code beforeTheProvider}:
 * redaction, then the result cache), rebuilt from the meetings whenever needed (never stored). What the
 * lane does not send goes back to the realtime lane: an answer the cache holds (answered there at no
 * cost), a transcript that needs parts ({@link ProviderBatches#line} refuses it), a recording not yet
 * transcribed, a sensitive meeting unless allow-sensitive names this provider.
 *
 * <p>Budgets are held at the lane's price: a meeting of a batch with a budget reserves the most its line may cost at
 * the batch price ({@link ProviderBatches.Line#maxCostUsd}) when it is packed, in the pack's transaction; a line the
 * budget cannot take is skipped ({@code budget_exhausted}), as the realtime lane skips a call. The reservation lasts
 * while the line waits; its meeting's cost (at the batch price) is spent once its line is read. A line given back
 * (expired, cancelled at the cut-over, the batch refused) frees what it reserved, and its meeting reserves again at
 * the price of the lane it is sent in next: the list price in realtime, where it is skipped if that does not fit.
 *
 * <p>Where the planner (lane auto, the deadline, flex) will decide a meeting's lane, {@link #plan} is the seam:
 * today it keeps the lane the batch was stored with.
 */
public final class ProviderBatchLane implements AutoCloseable {
    private static final Logger log = LoggerFactory.getLogger(ProviderBatchLane.class);
    /** How often the lane looks for work and polls its provider batches, by default. */
    public static final Duration DEFAULT_POLL_INTERVAL = Duration.ofSeconds(30);
    /** How long a node holds a provider batch without renewing it, at least (see {@link Settings}). */
    public static final Duration DEFAULT_LEASE = Duration.ofMinutes(5);
    /** How many provider batches one node drives at once. */
    private static final int LEASE_LIMIT = 16;
    /** The longest wait between tries while the provider refuses batches for its enqueued-token limit. */
    static final Duration ENQUEUED_FULL_MAX_WAIT = Duration.ofHours(1);

    /**
     * {@code pollInterval}: how often provider batches are polled and packed; {@code lease}: how long a
     * node holds a provider batch without renewing it (at least three polls); {@code discard}: whether what
     * the provider keeps (input and output files) is deleted once the results are read (retention).
     */
    public record Settings(Duration pollInterval, Duration lease, boolean discard) {
        public Settings {
            Objects.requireNonNull(pollInterval, "pollInterval");
            if (pollInterval.isNegative() || pollInterval.isZero()) {
                throw new IllegalArgumentException("batch-poll-interval must be positive, got " + pollInterval);
            }
            // longer than any one call to the provider (an upload of 200 MB): a live node never loses it mid-step
            if (lease == null) lease = pollInterval.multipliedBy(3).compareTo(DEFAULT_LEASE) > 0
                    ? pollInterval.multipliedBy(3) : DEFAULT_LEASE;
        }

        public static Settings ofDefaults() {
            return new Settings(DEFAULT_POLL_INTERVAL, null, true);
        }
    }

    /** The provider's own counts for one provider batch, as last polled: "in provider batch X: 812 of 1,000 done". */
    public record Progress(String providerBatchId, String remoteId, ProviderBatches.Status status,
                           ProviderBatches.Counts counts) {
        public String describe() {
            return told().describe();
        }

        public ProviderBatchProgress told() {
            return new ProviderBatchProgress(remoteId == null ? providerBatchId : remoteId,
                    status.name().toLowerCase(java.util.Locale.ROOT), counts.done(), counts.total());
        }
    }

    private final MeetingStore store;
    private final Stylist stylist;
    private final ProviderBatches batches;
    private final Analyzer prepared;
    private final CheckedAnalyzer checks;
    private final ResultCache cache;
    private final Predicate<ClaimedMeeting> sensitiveAllowed;
    private final RetryPolicy retryPolicy;
    private final Clock clock;
    private final EventSink events;
    private final String owner;
    private final Settings settings;
    private final Consumer<Progress> progress;
    /** Asked whether a batch's deadline wants its meetings in realtime now; null: no deadline is watched. */
    private final CutOverWatch cutOver;

    /**
     * While the provider refuses this model's batches for its enqueued-token limit (it offers no way to read the
     * headroom): no batch is created or packed before {@code enqueuedFullUntil}; each refusal in a row doubles the wait,
     * and a provider batch of this model ending, or a create accepted, ends it. Kept by this node (the loop's thread).
     */
    private Instant enqueuedFullUntil = Instant.MIN;
    private Duration enqueuedFullWait = Duration.ZERO;

    private final ReentrantLock lock = new ReentrantLock();
    private final Condition woken = lock.newCondition();
    private boolean wakeRequested;
    private volatile boolean stopping;
    private Thread loop;

    /**
     * @param prepared         the chain before the provider (redaction, the result cache) over the realtime analyzer of
     *                         this provider and model: its {@link Analyzer#prepare} gives the request as it is sent
     * @param cache            where answers are kept (null: no cache)
     * @param unsupported      what becomes of an item whose evidence is not in the transcript (as in realtime)
     * @param sensitiveAllowed whether a sensitive meeting may go to this provider (allow-sensitive names it)
     * @param progress         hears the provider's counts after every poll
     */
    public ProviderBatchLane(MeetingStore store, ProviderBatches batches, Analyzer prepared, ResultCache cache,
                             UnsupportedItems unsupported, Predicate<ClaimedMeeting> sensitiveAllowed, RetryPolicy retryPolicy,
                             Clock clock, EventSink events, WorkerId owner, Settings settings, Consumer<Progress> progress) {
        this(store, batches, prepared, cache, unsupported, sensitiveAllowed, retryPolicy, clock, events, owner, settings,
                progress, null);
    }

    /**
     * @param cutOver watches the batches' deadlines: a meeting whose batch's cut-over has come (or would come before a
     *                provider batch sent now is back) is sent realtime, and a provider batch holding such a meeting is
     *                cancelled at the cut-over (what it answered is kept); null: deadlines are not watched
     */
    public ProviderBatchLane(MeetingStore store, ProviderBatches batches, Analyzer prepared, ResultCache cache,
                             UnsupportedItems unsupported, Predicate<ClaimedMeeting> sensitiveAllowed, RetryPolicy retryPolicy,
                             Clock clock, EventSink events, WorkerId owner, Settings settings, Consumer<Progress> progress,
                             CutOverWatch cutOver) {
        this(store, batches, prepared, cache, unsupported, sensitiveAllowed, retryPolicy, clock, events, owner, settings,
                progress, cutOver, Stylist.ofDefaults());
    }

    /** {@code stylist}: decides each meeting's language and template, as the realtime pipeline does. */
    public ProviderBatchLane(MeetingStore store, ProviderBatches batches, Analyzer prepared, ResultCache cache,
                             UnsupportedItems unsupported, Predicate<ClaimedMeeting> sensitiveAllowed, RetryPolicy retryPolicy,
                             Clock clock, EventSink events, WorkerId owner, Settings settings, Consumer<Progress> progress,
                             CutOverWatch cutOver, Stylist stylist) {
        this.cutOver = cutOver;
        this.stylist = Objects.requireNonNull(stylist, "stylist");
        this.store = Objects.requireNonNull(store, "store");
        this.batches = Objects.requireNonNull(batches, "batches");
        this.prepared = Objects.requireNonNull(prepared, "prepared");
        this.checks = new CheckedAnalyzer(prepared, Objects.requireNonNull(unsupported, "unsupported"));
        this.cache = cache;
        this.sensitiveAllowed = Objects.requireNonNull(sensitiveAllowed, "sensitiveAllowed");
        this.retryPolicy = Objects.requireNonNull(retryPolicy, "retryPolicy");
        this.clock = Objects.requireNonNull(clock, "clock");
        this.events = Objects.requireNonNull(events, "events");
        this.owner = owner.toString();
        this.settings = Objects.requireNonNull(settings, "settings");
        this.progress = progress == null ? p -> { } : progress;
    }

    public String provider() {
        return batches.provider();
    }

    /** Starts the loop: a pass now, then one every poll interval or when woken. */
    public synchronized void start() {
        if (loop != null) return;
        loop = Thread.ofVirtual().name("minutes-batch-lane").start(this::run);
    }

    /** Looks for work now (new meetings planned for the lane were stored). */
    public void wake() {
        lock.lock();
        try {
            wakeRequested = true;
            woken.signalAll();
        } finally {
            lock.unlock();
        }
    }

    private void run() {
        while (!stopping) {
            try {
                pass();
            } catch (StoreUnavailableException e) {
                // the store is down or the disk full: the engine's outage watch tells the user once; the lease keeps the state
                log.debug("batch lane: store unavailable, trying again in {}: {}", settings.pollInterval(), e.getMessage());
            } catch (RuntimeException e) {
                // the provider failed outside a step's own handling: the lease keeps the state; try next poll
                log.warn("batch lane: pass failed, trying again in {}: {}", settings.pollInterval(), e.getMessage());
            }
            if (!awaitNextPass()) return;
        }
    }

    private boolean awaitNextPass() {
        lock.lock();
        try {
            long nanos = settings.pollInterval().toNanos();
            while (!wakeRequested && !stopping && nanos > 0) nanos = woken.awaitNanos(nanos);
            wakeRequested = false;
            return !stopping;
        } catch (InterruptedException e) {
            return false;
        } finally {
            lock.unlock();
        }
    }

    /**
     * One pass: drive the provider batches this node holds or takes over (their lease expired), then pack
     * what is due into new ones and drive those. Public for tests, which call it instead of waiting for a poll.
     */
    public void pass() {
        for (String held : store.providerBatchOwners(batches.provider(), batches.model())) {
            // a process of this machine that is gone (killed): its provider batches are taken now, not when its lease expires
            if (held.equals(owner) || !WorkerId.parse(held).map(WorkerId::isDeadLocalProcess).orElse(false)) continue;
            log.info("batch lane: taking over the provider batches of {}, which stopped", held);
            drive(store.providerBatchesLease(new ProviderBatchLeaseParams(owner, batches.provider(), batches.model(),
                    clock.instant(), settings.lease(), LEASE_LIMIT, held)));
        }
        drive(store.providerBatchesLease(new ProviderBatchLeaseParams(owner, batches.provider(),
                batches.model(), clock.instant(), settings.lease(), LEASE_LIMIT)));
        while (!stopping && !enqueuedFullWaiting()) {
            Optional<ProviderBatch> packed = packDue();
            if (packed.isEmpty()) return;
            drive(packed.get(), false);
        }
    }

    private void drive(List<ProviderBatch> leased) {
        for (ProviderBatch held : leased) {
            if (stopping) return;
            drive(held, true);
        }
    }

    // ---- packing ----------------------------------------------------------------------------------

    /** A line built for one meeting, with the request it was built from (its cache key, its redactions). */
    private record Built(ClaimedMeeting meeting, Analyzer.Request request, ProviderBatches.Line line) {
    }

    /**
     * Where the meeting goes: the lane it was stored with, unless the batch lane cannot send it. The seam the
     * planner (lane auto, deadline, flex) takes over.
     */
    Lane plan(ClaimedMeeting meeting) {
        if (meeting.needsTranscription() || meeting.transcript() == null) return Lane.REALTIME;
        if (meeting.tier() == Tier.SENSITIVE && !sensitiveAllowed.test(meeting)) return Lane.REALTIME;
        return Lane.BATCH;
    }

    /** Packs the due meetings into a new provider batch; empty when none is due or the ledger has no room. */
    private Optional<ProviderBatch> packDue() {
        ProviderBatches.Limits limits = batches.limits();
        Instant now = clock.instant();
        List<ClaimedMeeting> due = store.meetingsLaneDue(new LaneDueParams(now, limits.maxLines()));
        if (due.isEmpty()) return Optional.empty();
        Set<String> toRealtime = new HashSet<>();
        Map<String, Optional<String>> late = new HashMap<>();
        List<Built> built = new ArrayList<>();
        long bytes = 0;
        for (ClaimedMeeting meeting : due) {
            if (plan(meeting) != Lane.BATCH) {
                toRealtime.add(meeting.id());
                continue;
            }
            Optional<Built> line = build(meeting);
            if (line.isEmpty() || tooLate(meeting, line.get().line(), late)) {
                toRealtime.add(meeting.id());
                continue;
            }
            long size = line.get().line().json().getBytes(StandardCharsets.UTF_8).length + 1L;
            if (bytes + size > limits.maxBytes()) break; // the next provider batch takes the rest
            bytes += size;
            built.add(line.get());
        }
        if (!toRealtime.isEmpty()) {
            int moved = store.meetingsLaneSet(new LaneSetParams(toRealtime, Lane.REALTIME, now));
            log.info("batch lane: {} meeting(s) go to the realtime lane (cached answer, too long for one call, "
                    + "sensitive, a recording, or their deadline's cut-over)", moved);
        }
        if (built.isEmpty()) return toRealtime.isEmpty() ? Optional.empty() : packDue();
        // a meeting of a batch with a budget reserves its line's price at the batch rate (the store checks and holds it)
        List<PackLine> lines = built.stream().map(b -> new PackLine(b.meeting().id(), b.line().inputTokens(),
                b.meeting().budgeted() ? b.line().maxCostUsd() : 0)).toList();
        String key = "mpb_" + UUID.randomUUID().toString().replace("-", "");
        Optional<Packed> packed = store.providerBatchPack(new PackParams(key, batches.provider(), batches.model(), lines,
                limits.enqueuedTokenLimit(), owner, now, settings.lease()));
        if (packed.isEmpty()) {
            log.info("batch lane: the enqueued-token ledger of {}/{} has no room for {} line(s); waiting for a provider "
                    + "batch to end", batches.provider(), batches.model(), lines.size());
            return Optional.empty();
        }
        publishRefused(due, packed.get().refused());
        if (packed.get().batch() == null) return packDue(); // every line offered was refused by its budget: pack the next
        publishMoved(due, packed.get().meetingIds(), MeetingState.WAITING);
        log.info("batch lane: packed {} meeting(s) into provider batch {} ({} enqueued tokens)",
                packed.get().meetingIds().size(), key, packed.get().batch().enqueuedTokens());
        return Optional.of(packed.get().batch());
    }

    /**
     * Whether the meeting's batch is too close to its deadline for a provider batch sent now (asked once per batch in
     * one pack: {@code late} remembers the answers).
     */
    private boolean tooLate(ClaimedMeeting meeting, ProviderBatches.Line line, Map<String, Optional<String>> late) {
        if (cutOver == null) return false;
        Optional<String> why = late.computeIfAbsent(meeting.batchId(), b -> cutOver.tooLateForABatch(b, line.inputTokens()));
        why.ifPresent(w -> log.info("batch lane: batch {} goes realtime: {}", meeting.batchId(), w));
        return why.isPresent();
    }

    /**
     * At the cut-over of a batch with meetings in this provider batch, asks the provider to cancel it: what it
     * answered is kept when it ends, and the lines not run go back to the queue, from where they are sent realtime.
     */
    private void cancelAtCutOver(ProviderBatch pb) throws AnalyzerException {
        if (cutOver == null || "cancelling".equals(pb.remoteStatus()) || "cancelled".equals(pb.remoteStatus())) return;
        long perLine = pb.lines() == 0 ? 0 : pb.enqueuedTokens() / pb.lines();
        Set<String> checked = new HashSet<>();
        for (ClaimedMeeting m : store.providerBatchMeetings(pb.id())) {
            if (!checked.add(m.batchId())) continue;
            Optional<String> why = cutOver.cutOverCome(m.batchId(), perLine);
            if (why.isEmpty()) continue;
            log.info("batch lane: cancelling provider batch {} ({}) for batch {}: {}", pb.id(), pb.remoteId(), m.batchId(),
                    why.get());
            Remote remote = batches.cancel(pb.remoteId());
            record(new ProviderBatchRecordParams(pb.id(), owner, ProviderBatchState.CREATED, null, null, remote.counts(),
                    "cancelling", null, null, null, clock.instant(), settings.lease()));
            return;
        }
    }

    /** The meeting's line, through the chain before the provider; empty when the lane does not send it. */
    private Optional<Built> build(ClaimedMeeting meeting) {
        Style style;
        try {
            style = stylist.resolve(meeting.style(), meeting.transcript());
        } catch (IllegalArgumentException e) {
            return Optional.empty(); // the realtime lane fails it, saying which template is unknown
        }
        Analyzer.Request request = prepared.prepare(new Analyzer.Request(meeting.id(), meeting.title(), meeting.transcript(),
                meeting.tenant()).withMeetingDate(meeting.meetingDate())
                .withStyle(style));
        if (request.prepared() != null && request.prepared().cachedAnswer() != null) return Optional.empty();
        try {
            return batches.line(meeting.id(), request).map(line -> new Built(meeting, request, line));
        } catch (AnalyzerException e) {
            log.warn("batch lane: no line for {} ({}): {}; it goes to the realtime lane", meeting.source(), meeting.id(),
                    e.failure().message());
            return Optional.empty();
        }
    }

    // ---- driving one provider batch ----------------------------------------------------------------

    /**
     * Takes the provider batch as far as it can go now. {@code resumed}: its state was read from the store
     * (this node, or a dead one, may have sent more than was recorded), so the provider is asked by key before
     * anything would be created.
     */
    private void drive(ProviderBatch pb, boolean resumed) {
        try {
            ProviderBatch at = pb;
            if (at.state() == ProviderBatchState.INTENDED || at.state() == ProviderBatchState.STAGED) {
                if (enqueuedFullWaiting()) return;
                at = send(at, resumed);
                if (at == null) return;
            }
            if (at.state() == ProviderBatchState.CREATED) {
                cancelAtCutOver(at);
                at = poll(at);
                if (at == null) return;
            }
            if (at.state() == ProviderBatchState.ENDED) collect(at);
        } catch (AnalyzerException e) {
            Failure failure = e.failure();
            if (failure.cause() == Failure.Cause.ENQUEUED_TOKENS_FULL) {
                enqueuedFull(pb.id(), failure.message(), store.providerBatchMeetings(pb.id()));
            } else if (failure.isTransient()) {
                log.info("batch lane: provider batch {}: {}; trying again at the next poll", pb.id(), failure.message());
            } else {
                refused(pb, failure);
            }
        } catch (LeaseLost lost) {
            log.info("batch lane: provider batch {} is driven by another node now", pb.id());
        }
    }

    /** Thrown when this node no longer holds the provider batch's lease: another node drives it now. */
    private static final class LeaseLost extends RuntimeException {
        LeaseLost() {
            super(null, null, false, false);
        }
    }

    private void record(ProviderBatchRecordParams params) {
        if (!store.providerBatchRecord(params)) throw new LeaseLost();
    }

    private void recordState(ProviderBatch pb, ProviderBatchState state) {
        record(ProviderBatchRecordParams.state(pb.id(), owner, state, clock.instant(), settings.lease()));
    }

    /** The lines of the meetings waiting in it, rebuilt, by meeting id; a meeting that cannot be rebuilt is left out. */
    private List<Built> rebuild(ProviderBatch pb) {
        List<Built> lines = new ArrayList<>();
        for (ClaimedMeeting meeting : store.providerBatchMeetings(pb.id())) build(meeting).ifPresent(lines::add);
        lines.sort(Comparator.comparing(b -> b.line().customId()));
        return lines;
    }

    /** Stage (unless staged), then find (when resumed) or create. Null when there is nothing to send. */
    private ProviderBatch send(ProviderBatch pb, boolean resumed) throws AnalyzerException {
        List<Built> built = rebuild(pb);
        if (built.isEmpty()) {
            recordState(pb, ProviderBatchState.CANCELLED); // its meetings were cancelled, or cannot be sent any more
            store.providerBatchRelease(new ProviderBatchReleaseParams(pb.id(), clock.instant()));
            return null;
        }
        List<ProviderBatches.Line> lines = built.stream().map(Built::line).toList();
        String staged = pb.stagedRef();
        if (pb.state() == ProviderBatchState.INTENDED) {
            staged = batches.stage(pb.id(), lines);
            record(new ProviderBatchRecordParams(pb.id(), owner, ProviderBatchState.STAGED, staged, null, null, null, null,
                    null, null, clock.instant(), settings.lease()));
        }
        Optional<Remote> found = resumed ? batches.find(pb.id(), pb.intendedAt(), lines.size()) : Optional.empty();
        Remote remote = found.isPresent() ? found.get() : batches.create(pb.id(), staged, lines);
        if (found.isPresent()) log.info("batch lane: provider batch {} was already created as {}; carrying on", pb.id(), remote.id());
        if (remote.failureCause() != Failure.Cause.ENQUEUED_TOKENS_FULL) enqueuedRoom();
        record(new ProviderBatchRecordParams(pb.id(), owner, ProviderBatchState.CREATED, null, remote.id(), remote.counts(),
                remote.status().name().toLowerCase(java.util.Locale.ROOT), remote.createdAt() == null ? clock.instant()
                : remote.createdAt(), null, null, clock.instant(), settings.lease()));
        return store.providerBatchGet(pb.id()).orElseThrow();
    }

    /** Polls the provider; on an ended status, records it ended (its ledger reservation released). Null while it runs. */
    private ProviderBatch poll(ProviderBatch pb) throws AnalyzerException {
        Remote remote = batches.status(pb.remoteId());
        List<ClaimedMeeting> waiting = store.providerBatchMeetings(pb.id());
        if (waiting.isEmpty() && cancellable(remote.status())) {
            // every meeting of it was cancelled (its Minutes batches): nothing in it is wanted, so stop paying for it.
            // What ran before the cancel is still read once it ends, and deleted by the retention setting.
            log.info("batch lane: no meeting of provider batch {} ({}) is wanted any more; cancelling it at {}", pb.id(),
                    pb.remoteId(), batches.provider());
            remote = batches.cancel(pb.remoteId());
        }
        boolean ended = remote.status().ended();
        record(new ProviderBatchRecordParams(pb.id(), owner, ended ? ProviderBatchState.ENDED : ProviderBatchState.CREATED,
                null, null, remote.counts(), remote.status().name().toLowerCase(java.util.Locale.ROOT), null,
                ended ? clock.instant() : null, remote.failure(), clock.instant(), settings.lease()));
        if (remote.counts() != null) {
            Progress polled = new Progress(pb.id(), pb.remoteId(), remote.status(), remote.counts());
            progress.accept(polled);
            publishProgress(waiting, polled);
        }
        return ended ? store.providerBatchGet(pb.id()).orElseThrow() : null;
    }

    private boolean enqueuedFullWaiting() {
        return clock.instant().isBefore(enqueuedFullUntil);
    }

    /**
     * The provider refused a batch for its enqueued-token limit: wait (twice the poll interval, doubling with each
     * refusal in a row, up to {@link #ENQUEUED_FULL_MAX_WAIT}) instead of creating one again at every poll. Said once
     * per streak: in the log, and to the batches whose meetings it holds.
     */
    private void enqueuedFull(String providerBatchId, String message, List<ClaimedMeeting> meetings) {
        boolean first = enqueuedFullWait.isZero();
        Duration max = settings.pollInterval().compareTo(ENQUEUED_FULL_MAX_WAIT) > 0 ? settings.pollInterval() : ENQUEUED_FULL_MAX_WAIT;
        Duration next = first ? settings.pollInterval().multipliedBy(2) : enqueuedFullWait.multipliedBy(2);
        enqueuedFullWait = next.compareTo(max) > 0 ? max : next;
        enqueuedFullUntil = clock.instant().plus(enqueuedFullWait);
        if (!first) {
            log.debug("batch lane: {} refused provider batch {} again for its enqueued-token limit; next try in {}",
                    batches.provider(), providerBatchId, enqueuedFullWait);
            return;
        }
        log.info("batch lane: {} refuses provider batches of {}: its enqueued-token limit is full ({}); its meetings wait, "
                        + "not failed; trying again in {}, then at doubling intervals (up to {}) until a provider batch of this "
                        + "model ends", batches.provider(), batches.model(), message, enqueuedFullWait, ENQUEUED_FULL_MAX_WAIT);
        Map<String, Integer> byBatch = new HashMap<>();
        for (ClaimedMeeting m : meetings) byBatch.merge(m.batchId(), 1, Integer::sum);
        ProviderBatchProgress told = new ProviderBatchProgress(providerBatchId,
                "waiting: the provider's enqueued-token limit is full", 0, meetings.size());
        byBatch.keySet().forEach(batchId -> events.publish(ProgressEvent.ofProviderBatch(batchId, told,
                store.batchGet(batchId).map(b -> b.counts()).orElse(BatchCounts.EMPTY))));
    }

    /** The provider took a batch of this model, or one ended: the next create is tried at once. */
    private void enqueuedRoom() {
        enqueuedFullWait = Duration.ZERO;
        enqueuedFullUntil = Instant.MIN;
    }

    /** Whether asking the provider to cancel still stops something: not once it ends, is cancelling, or is writing its results. */
    private static boolean cancellable(ProviderBatches.Status status) {
        return !status.ended() && status != ProviderBatches.Status.CANCELLING && status != ProviderBatches.Status.FINALIZING;
    }

    /**
     * Reads every line as a stream and finishes each meeting as its line is read; the meetings whose line
     * did not come back answered or errored (not run, missing) are planned again; then what the provider keeps
     * is deleted when the retention setting says so.
     */
    private void collect(ProviderBatch pb) throws AnalyzerException {
        Remote remote = batches.status(pb.remoteId());
        Map<String, Built> byMeeting = new HashMap<>();
        for (Built b : rebuild(pb)) byMeeting.put(b.meeting().id(), b);
        Map<String, BatchCounts> counts = new HashMap<>();
        Instant[] renewed = {clock.instant()};
        batches.results(remote, id -> {
            Built built = byMeeting.get(id);
            return built == null ? null : built.request();
        }, result -> {
            Instant now = clock.instant();
            if (Duration.between(renewed[0], now).compareTo(settings.lease().dividedBy(3)) > 0) {
                recordState(pb, ProviderBatchState.ENDED); // a long read keeps its lease
                renewed[0] = now;
            }
            Built built = byMeeting.get(result.customId());
            if (built == null) return; // finished before a crash, cancelled, or not ours
            finishLine(pb, built, result, now, counts);
        });
        if (remote.status() == ProviderBatches.Status.FAILED && remote.failureCause() != Failure.Cause.ENQUEUED_TOKENS_FULL) {
            // refused or failed as a whole: sent again as it was, it would be refused again
            refused(pb, Failure.of(remote.failureCause() == null ? Failure.Cause.REFUSED_REQUEST : remote.failureCause(),
                    remote.failure() == null ? "the provider failed the batch" : remote.failure()), false);
        } else {
            if (remote.failureCause() == Failure.Cause.ENQUEUED_TOKENS_FULL) {
                enqueuedFull(pb.id(), remote.failure(), byMeeting.values().stream().map(Built::meeting).toList());
            } else {
                enqueuedRoom(); // a provider batch of this model ended: its tokens left the provider's queue
            }
            // lines not run (expired, cancelled, or the enqueued-token limit was full): planned again, nothing paid
            int released = store.providerBatchRelease(new ProviderBatchReleaseParams(pb.id(), clock.instant()));
            if (released > 0) log.info("batch lane: {} line(s) of provider batch {} did not run; planned again", released, pb.id());
        }
        if (settings.discard()) {
            try {
                batches.discard(remote);
            } catch (AnalyzerException e) {
                log.warn("batch lane: could not delete what the provider keeps for {} ({}): {}", pb.id(), remote.id(),
                        e.failure().message());
            }
        }
        recordState(pb, ProviderBatchState.COLLECTED);
    }

    private void finishLine(ProviderBatch pb, Built built, LineResult result, Instant now, Map<String, BatchCounts> counts) {
        ClaimedMeeting meeting = built.meeting();
        switch (result) {
            case LineResult.Answered answered -> {
                // the checks every answer passes in the realtime lane too: owners, due dates, evidence
                Analysis analysis = checks.check(answered.result().analysis(), built.request());
                Map<String, Integer> redactions = built.request().prepared() == null ? null
                        : built.request().prepared().redactions();
                if (redactions != null && !redactions.isEmpty()) analysis = analysis.withRedactions(redactions);
                if (store.meetingLineFinish(new LineFinishParams(meeting.id(), pb.id(),
                        Outcome.completed(analysis, answered.result().usage()), answered.listCostUsd(), now))) {
                    keep(built, answered.result().analysis(), now);
                    publish(meeting, MeetingState.COMPLETED, null);
                }
            }
            case LineResult.Errored errored -> {
                Failure failure = errored.failure();
                RetryPolicy.Decision decision = failure.rateLimited()
                        ? retryPolicy.decideRateLimited(Duration.ZERO, failure)
                        : retryPolicy.decide(meeting.attemptInRun(), meeting.maxAttemptsOr(retryPolicy.maxAttempts()), failure);
                Outcome outcome = decision.retry() ? Outcome.retryAt(now.plus(decision.delay()), failure) : Outcome.failed(failure);
                if (store.meetingLineFinish(new LineFinishParams(meeting.id(), pb.id(), outcome, null, now))) {
                    publish(meeting, decision.retry() ? MeetingState.QUEUED : MeetingState.FAILED, failure);
                }
            }
            case LineResult.NotRun notRun -> {
                // released with the others once every line is read: planned again, nothing paid
            }
        }
    }

    /** The answer kept in the result cache, as the realtime lane's CachingAnalyzer keeps it (the redacted transcript's key). */
    private void keep(Built built, Analysis analysis, Instant now) {
        if (cache == null || built.request().prepared() == null || built.request().prepared().cacheKey() == null) return;
        try {
            cache.resultPut(built.request().prepared().cacheKey(), analysis, now);
        } catch (RuntimeException e) {
            log.warn("batch lane: could not keep an answer in the result cache: {}", e.toString());
        }
    }

    /** The provider refused the batch as a whole: its meetings go to the realtime lane, where each call has its own error rules. */
    private void refused(ProviderBatch pb, Failure failure) {
        refused(pb, failure, true);
    }

    /** {@code record}: mark the provider batch failed (false when it is ended already and recorded so by the caller). */
    private void refused(ProviderBatch pb, Failure failure, boolean record) {
        log.warn("batch lane: the provider refused provider batch {}: {}; its meetings go to the realtime lane", pb.id(),
                failure.message());
        Set<String> ids = new HashSet<>();
        for (ClaimedMeeting m : store.providerBatchMeetings(pb.id())) ids.add(m.id());
        if (record) {
            try {
                record(new ProviderBatchRecordParams(pb.id(), owner, ProviderBatchState.FAILED, null, null, null, null, null,
                        clock.instant(), failure.message(), clock.instant(), settings.lease()));
            } catch (LeaseLost lost) {
                return;
            }
        }
        store.providerBatchRelease(new ProviderBatchReleaseParams(pb.id(), clock.instant()));
        store.meetingsLaneSet(new LaneSetParams(ids, Lane.REALTIME, clock.instant()));
    }

    /** The provider's counts, to every Minutes batch with meetings waiting in this provider batch (live over SSE, the CLI). */
    private void publishProgress(List<ClaimedMeeting> waiting, Progress polled) {
        ProviderBatchProgress told = polled.told();
        Set<String> batchIds = new HashSet<>();
        for (ClaimedMeeting m : waiting) batchIds.add(m.batchId());
        for (String batchId : batchIds) {
            BatchCounts counts = store.batchGet(batchId).map(b -> b.counts()).orElse(BatchCounts.EMPTY);
            events.publish(ProgressEvent.ofProviderBatch(batchId, told, counts));
        }
    }

    /** The meetings their budget refused at the batch price: skipped, as the realtime lane skips them, and said so. */
    private void publishRefused(List<ClaimedMeeting> due, Map<String, String> refused) {
        if (refused.isEmpty()) return;
        log.info("batch lane: {} meeting(s) skipped: their batch's budget cannot take their line at the batch price ({})",
                refused.size(), refused.values().iterator().next());
        publishMoved(due, List.copyOf(refused.keySet()), MeetingState.SKIPPED);
    }

    private void publishMoved(List<ClaimedMeeting> due, List<String> ids, MeetingState state) {
        Set<String> moved = new HashSet<>(ids);
        for (ClaimedMeeting m : due) if (moved.contains(m.id())) publish(m, state, null);
    }

    private void publish(ClaimedMeeting meeting, MeetingState state, Failure failure) {
        BatchCounts counts = store.batchGet(meeting.batchId()).map(b -> b.counts()).orElse(BatchCounts.EMPTY);
        events.publish(new ProgressEvent(meeting.batchId(), meeting.id(), meeting.index(), meeting.title(), state,
                meeting.attempt(), failure, counts));
    }

    /** Stops the loop after the step it is in; what it holds stays leased until it expires, and is resumed from the store. */
    public void stop() {
        stopping = true;
        wake();
        Thread running;
        synchronized (this) {
            running = loop;
        }
        if (running != null) {
            try {
                running.join(Duration.ofSeconds(10));
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
    }

    @Override
    public void close() {
        stop();
    }
}
