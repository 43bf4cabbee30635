package io.minutes.core.engine;

import io.minutes.core.domain.ProgressEvent;
import io.minutes.core.domain.Batch;
import io.minutes.core.domain.BatchCounts;
import io.minutes.core.domain.ClaimedMeeting;
import io.minutes.core.domain.Failure;
import io.minutes.core.domain.Meeting;
import io.minutes.core.domain.MeetingState;
import io.minutes.core.port.EventSink;
import io.minutes.core.port.MeetingQueue;
import io.minutes.core.port.MeetingQueue.Outcome;
import io.minutes.core.port.StoreUnavailableException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.function.BooleanSupplier;
import java.util.function.Predicate;
import java.util.function.Consumer;

/**
 * The claim loop of one node. It claims only as many due meetings as it has free slots and the
 * provider's limits let start now ({@link Admission}; what they let start is told to the
 * {@link ConcurrencyLimit}, which may open slots for it), runs each
 * on a virtual thread of its own through the {@link Pipeline}, writes the outcome back under the lease, keeps
 * the leases alive with heartbeats, and puts meetings of dead workers back in the queue.
 *
 * <p>A store that cannot be written ({@link StoreUnavailableException}: database unreachable, disk
 * full) fails no meeting: a worker holding an outcome keeps it and tries the write again with backoff
 * while heartbeats go on, no meeting is claimed until the store takes writes again, and the
 * {@link StoreOutage} says once what is wrong and since when.
 *
 * <p>A thread of the engine that dies (an {@link Error} in its claim loop or heartbeats, or a meeting's
 * pipeline running the JVM out of memory) stops the engine rather than leaving an idle node that looks
 * alive: {@link #onDeath} tells the command, which stops the process; meetings in flight go back to the
 * queue on {@link #shutdown}, as on any stop.
 */
public final class Dispatcher implements AutoCloseable {
    private static final Logger log = LoggerFactory.getLogger(Dispatcher.class);
    /** How often the running reaper looks for leases held by dead processes on this machine. */
    static final Duration DEAD_LOCAL_WORKERS_CHECK = Duration.ofSeconds(1);

    private final MeetingQueue store;
    private final Pipeline pipeline;
    private final EngineSettings settings;
    private final RetryPolicy retryPolicy;
    private final Clock clock;
    private final EventSink events;
    private final WorkerId owner;
    private final Admission admission;
    private final ConcurrencyLimit concurrency;

    private static final Duration FIRST_WRITE_RETRY = Duration.ofMillis(200);
    private static final Duration LONGEST_WRITE_RETRY = Duration.ofSeconds(2);

    private final Set<String> inFlight = ConcurrentHashMap.newKeySet();
    private final StoreOutage outage;
    /** Meetings whose outcome waits for the store to take it: while there are any, nothing new is claimed. */
    private final Set<String> heldOutcomes = ConcurrentHashMap.newKeySet();
    /** A claim failed as the store became unavailable: it may have taken meetings all the same (claim loop only). */
    private boolean claimUnanswered;
    private static final Duration PAUSE_WATCH_STEP = Duration.ofMillis(50);
    private final java.util.concurrent.atomic.AtomicLong longestPauseNanos = new java.util.concurrent.atomic.AtomicLong();
    /** How long this process stood still before the last heartbeat (0: it did not), so a lost lease can say why. */
    private volatile Duration heartbeatsLate = Duration.ZERO;
    private final Wakeup wakeup = new Wakeup();
    private final ExecutorService workers = Executors.newVirtualThreadPerTaskExecutor();
    private volatile boolean running;
    /** Completed with what killed the engine; never completed by a clean {@link #shutdown}. */
    private final CompletableFuture<Throwable> death = new CompletableFuture<>();
    private volatile Thread claimLoop;
    private volatile Thread heartbeatLoop;
    private volatile Thread pauseWatch;

    /** {@code outage}: shared with whatever else of this node writes to the store (the result cache). */
    public Dispatcher(MeetingQueue store, Pipeline pipeline, EngineSettings settings, RetryPolicy retryPolicy,
                      Clock clock, EventSink events, WorkerId owner, Admission admission,
                      ConcurrencyLimit concurrency, StoreOutage outage) {
        this.outage = outage;
        this.store = store;
        this.pipeline = pipeline;
        this.settings = settings;
        this.retryPolicy = retryPolicy;
        this.clock = clock;
        this.events = events;
        this.owner = owner;
        this.admission = admission;
        this.concurrency = concurrency;
    }

    public WorkerId owner() {
        return owner;
    }

    /** Whether the store is failing now, and since when. */
    public StoreOutage storeOutage() {
        return outage;
    }

    /** Outcomes (and answers) held in memory until the store takes them. */
    public int heldOutcomes() {
        return heldOutcomes.size();
    }

    public synchronized void start() {
        if (running) return;
        running = true;
        pauseWatch = Thread.ofPlatform().name("minutes-pause-watch").daemon().start(supervised("pause watch", this::pauseWatch));
        heartbeatLoop = Thread.ofPlatform().name("minutes-heartbeat").daemon().start(supervised("heartbeat", this::heartbeatLoop));
        claimLoop = Thread.ofPlatform().name("minutes-dispatcher").daemon().start(supervised("claim loop", () -> {
            reapDeadLocalWorkers();
            claimLoop();
        }));
    }

    /** True from {@link #start} until {@link #shutdown}, while its claim loop is alive and the engine not dead: what readiness checks. */
    public boolean isRunning() {
        Thread loop = claimLoop;
        return running && loop != null && loop.isAlive() && !death.isDone();
    }

    /** What killed the engine, if something did (it then claims nothing more). */
    public Optional<Throwable> deathCause() {
        return Optional.ofNullable(death.getNow(null));
    }

    /** Runs {@code action} once the engine dies (at once, if it is dead already), on the dying thread. */
    public void onDeath(Consumer<Throwable> action) {
        death.thenAccept(action);
    }

    private Runnable supervised(String part, Runnable body) {
        return () -> {
            try {
                body.run();
            } catch (Throwable t) {
                die(part, t);
            }
        };
    }

    /**
     * Stops claiming and says why. The stack trace goes to the debug log only: the command says one clear
     * line. After an OutOfMemoryError even logging may fail, which must not keep the news from the command.
     */
    private void die(String part, Throwable cause) {
        if (death.isDone()) return;
        try {
            log.debug("the engine stopped: its {} died", part, cause);
        } catch (Throwable ignored) {
            // the line the command prints is what matters
        }
        wakeup.signal();
        death.complete(cause);
    }

    /** Tells an idle dispatcher that new work may be due (e.g. a batch was just stored). */
    public void wake() {
        wakeup.signal();
    }

    private void claimLoop() {
        Instant nextExpiryReap = clock.instant();
        Instant nextReap = nextExpiryReap;
        while (running && !death.isDone()) {
            Instant now = clock.instant();
            try {
                if (!now.isBefore(nextReap)) {
                    if (!now.isBefore(nextExpiryReap)) {
                        reapExpired(now);
                        nextExpiryReap = now.plus(settings.lease().dividedBy(2));
                    }
                    reapDeadLocalWorkers();
                    nextReap = min(nextExpiryReap, now.plus(DEAD_LOCAL_WORKERS_CHECK));
                }
                if (claimUnanswered) {
                    giveBackUnknownClaims();
                    claimUnanswered = false;
                }
                int running = inFlight.size();
                // a new answer would have nowhere to go while outcomes wait for the store
                int wanted = heldOutcomes.isEmpty() ? settings.concurrency() - running : 0;
                int allowed = admission.startable(wanted);
                if (wanted > 0) concurrency.rateAllows(running, allowed);
                int free = heldOutcomes.isEmpty() ? Math.min(settings.concurrency(), concurrency.current()) - running : 0;
                int startable = Math.min(allowed, free);
                if (startable > 0) {
                    List<ClaimedMeeting> claimed;
                    try {
                        claimed = store.meetingsClaim(new MeetingQueue.ClaimParams(owner.toString(), startable, now, settings.lease()));
                    } catch (StoreUnavailableException e) {
                        claimUnanswered = true;
                        throw e;
                    }
                    outage.succeeded(clock.instant());
                    admission.claimed(claimed.size());
                    for (ClaimedMeeting meeting : claimed) {
                        inFlight.add(meeting.id());
                        workers.submit(() -> process(meeting));
                    }
                    publishStarted(claimed);
                    if (claimed.size() == startable) continue;
                }
                wakeup.await(millisUntilNextLook(now, nextReap, free > 0, startable > 0));
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return;
            } catch (StoreUnavailableException e) {
                outage.failed(e, now);
                log.debug("claim loop: {}", e.toString(), e);
                sleepQuietly(LONGEST_WRITE_RETRY);
            } catch (RuntimeException e) {
                log.error("claim loop: {}; trying again in {} ms", e.toString(), settings.idlePoll().toMillis(), e);
                sleepQuietly(settings.idlePoll());
            }
        }
    }

    /**
     * A claim that failed with the store unavailable may have been committed all the same, its answer lost
     * with the connection (a database restarted as it answered): the meetings it took are leased to this
     * node, which does not know them, and would wait for their lease to expire, their attempt log blaming
     * a stopped worker. Once the store answers again, the meetings this node holds but does not process
     * are given back, as a clean stop gives them back: due at once, no attempt counted.
     */
    private void giveBackUnknownClaims() {
        Set<String> unknown = new HashSet<>(store.meetingsHeldBy(owner.toString()));
        unknown.removeAll(inFlight); // every meeting this node claimed knowingly is in flight until its outcome is stored
        int given = 0;
        for (String meetingId : unknown) {
            if (store.meetingRelease(new MeetingQueue.ReleaseParams(meetingId, owner.toString(), clock.instant()))) given++;
        }
        if (given > 0) log.info("gave back {} meeting(s) a claim took as the connection to the store was lost", given);
    }

    /**
     * With free slots the provider's limits allow, look again when the next retry is due; with free
     * slots they do not, when they will; otherwise a finishing meeting wakes us.
     */
    private long millisUntilNextLook(Instant now, Instant nextReap, boolean hasFreeSlots, boolean admitted) {
        long wait = Math.min(settings.idlePoll().toMillis(), Duration.between(now, nextReap).toMillis());
        if (hasFreeSlots && !admitted) {
            wait = Math.min(wait, Math.max(1, admission.untilStartable().toMillis()));
        } else if (hasFreeSlots) {
            Instant due = store.nextDueAt().orElse(null);
            if (due != null) wait = Math.min(wait, Duration.between(now, due).toMillis());
        }
        return Math.max(1, wait);
    }

    /**
     * The slot is freed as soon as the outcome is stored, before progress is published, so the next
     * claim does not wait on progress reporting.
     */
    private void process(ClaimedMeeting meeting) {
        Runnable progress = () -> { };
        try {
            StepOutcome outcome;
            try {
                // a checkpoint's retry refused means the lease is gone: what was written first is not asked after
                outcome = pipeline.run(meeting, write -> keepWriting(meeting, write, m -> false));
            } catch (StoreUnavailableException e) {
                outage.failed(e, clock.instant());
                // not the meeting's fault: back to the queue without counting the attempt
                keepWriting(meeting, () -> store.meetingRelease(
                        new MeetingQueue.ReleaseParams(meeting.id(), owner.toString(), clock.instant())), m -> false);
                return;
            }
            Instant now = clock.instant();
            switch (outcome) {
                case StepOutcome.Completed done -> {
                    Outcome completed = Outcome.completed(done.analysis(), done.usage(), done.lane(), done.listCostUsd());
                    if (keepWriting(meeting, () -> finish(meeting, completed, clock.instant()),
                            endedAs(meeting, MeetingState.COMPLETED, null))) {
                        progress = () -> publish(meeting, MeetingState.COMPLETED, null);
                    } else {
                        leaseLost(meeting);
                    }
                }
                case StepOutcome.Failed failed -> progress = recordFailure(meeting, failed.failure(), now);
                case StepOutcome.Skipped skipped -> {
                    if (keepWriting(meeting, () -> finish(meeting, Outcome.skipped(skipped.reason()), clock.instant()),
                            m -> m.state() == MeetingState.SKIPPED)) {
                        progress = () -> publish(meeting, MeetingState.SKIPPED, null);
                    } else {
                        leaseLost(meeting);
                    }
                }
            }
        } catch (StoppedHolding e) {
            log.warn("stopped before what was paid for {} ({}) could be stored ({}); it is asked again on the next run",
                    meeting.source(), meeting.id(), e.getMessage());
        } catch (RuntimeException e) {
            // The store refused or failed the write: the lease will expire and the reaper retries the meeting.
            log.error("could not record the outcome of {} ({}): {}", meeting.source(), meeting.id(), e.toString(), e);
        } catch (Error e) {
            progress = afterError(meeting, e);
        } finally {
            inFlight.remove(meeting.id());
            wakeup.signal();
        }
        try {
            progress.run();
        } catch (RuntimeException e) {
            log.warn("could not publish progress of {}: {}", meeting.source(), e.toString());
        }
    }

    /**
     * A pipeline that threw an {@link Error} (the {@link Pipeline} fails a stack overflow itself) is a failed
     * attempt through the {@link RetryPolicy}, counted like any other: a meeting that always runs the heap out
     * (or always meets a missing class) ends {@code failed} saying so, instead
     * of being tried forever. An OutOfMemoryError also stops the engine: the heap is shared, so the next
     * meetings would likely fail the same way, and the process is to be run again with more memory.
     * When not even the failure can be written, the lease expires (the heartbeats no longer renew it).
     *
     * @return the progress to publish once the slot is free
     */
    private Runnable afterError(ClaimedMeeting meeting, Error error) {
        try {
            log.debug("{} ({}): the pipeline threw", meeting.source(), meeting.id(), error);
            return recordFailure(meeting, Failure.transientFailure(describe(error)), clock.instant());
        } catch (StoppedHolding | RuntimeException | Error e) {
            try {
                log.warn("could not record that {} ({}) failed with {}: {}; its lease expires and it is tried again",
                        meeting.source(), meeting.id(), error, e.toString());
            } catch (Throwable ignored) {
                // out of memory still: the lease expires all the same
            }
            return () -> { };
        } finally {
            if (error instanceof OutOfMemoryError) die("worker of " + meeting.source(), error);
        }
    }

    /** What a user reads about an {@link Error} thrown while a meeting was processed. */
    static String describe(Error error) {
        if (error instanceof OutOfMemoryError) {
            return "this process ran out of memory (heap " + Runtime.getRuntime().maxMemory() / (1 << 20)
                    + " MiB) while processing this meeting: give it a larger heap (-Xmx) or a lower concurrency, "
                    + "then run it again";
        }
        return "internal error while processing this meeting: " + error;
    }

    /** @return the progress to publish once the slot is free */
    private Runnable recordFailure(ClaimedMeeting meeting, Failure failure, Instant now) throws StoppedHolding {
        // a 429 uses none of the meeting's attempts: a run of them is bounded by time instead; a flex refusal uses
        // none either and is bounded by the batch's deadline (the pipeline sends the meeting realtime when it must)
        Instant rateLimitedSince = failure.rateLimited() ? rateLimitedSince(meeting, now) : null;
        RetryPolicy.Decision decision = rateLimitedSince != null
                ? retryPolicy.decideRateLimited(Duration.between(rateLimitedSince, now), failure)
                : failure.cause() == Failure.Cause.FLEX_UNAVAILABLE ? retryPolicy.decideFlexUnavailable(failure)
                : retryPolicy.decide(meeting.attemptInRun(), meeting.maxAttemptsOr(retryPolicy.maxAttempts()), failure);
        Failure recorded = rateLimitedSince != null && !decision.retry() ? stillRateLimited(failure, rateLimitedSince) : failure;
        Outcome outcome = decision.retry() ? Outcome.retryAt(now.plus(decision.delay()), recorded) : Outcome.failed(recorded);
        boolean written = keepWriting(meeting, () -> finish(meeting, outcome, now),
                endedAs(meeting, decision.retry() ? MeetingState.QUEUED : MeetingState.FAILED, recorded));
        if (!written) {
            leaseLost(meeting);
            return () -> { };
        }
        MeetingState state = decision.retry() ? MeetingState.QUEUED : MeetingState.FAILED;
        return () -> publish(meeting, state, recorded);
    }

    /** Ends this node's attempt of the meeting with {@code outcome}, behind the lease: false when the lease was lost. */
    private boolean finish(ClaimedMeeting meeting, Outcome outcome, Instant now) {
        return store.meetingFinish(new MeetingQueue.FinishParams(meeting.id(), owner.toString(), meeting.attempt(), outcome, now));
    }

    /** When this meeting's unbroken run of 429s began: now, when it begins now or the store cannot say. */
    private Instant rateLimitedSince(ClaimedMeeting meeting, Instant now) {
        try {
            return store.meetingRateLimitedSince(meeting.id()).orElse(now);
        } catch (StoreUnavailableException e) {
            outage.failed(e, now);
            return now;
        }
    }

    private Failure stillRateLimited(Failure last, Instant since) {
        Duration limit = retryPolicy.maxRateLimitedFor();
        String forHowLong = limit.toSeconds() >= 60 ? limit.toMinutes() + " min"
                : limit.toSeconds() >= 1 ? limit.toSeconds() + " s" : limit.toMillis() + " ms";
        return Failure.transientFailure("rate limited: the provider refused every call for this meeting for "
                + forHowLong + " without a break (since " + since
                + "), waiting what it asked each time; its limits are too low for this work now: run the batch "
                + "again later, or ask the provider for higher limits. Last refusal: " + last.message());
    }

    /**
     * Writes an outcome (or a transcription checkpoint) held by {@code meeting}'s worker, trying again
     * with backoff for as long as the store is unavailable: the heartbeats keep the lease meanwhile, and
     * the lease guard of the write still decides. Ends only when the write is done or refused, or when shutdown interrupts it.
     *
     * A write that failed may have been committed all the same, its answer lost with the connection: when
     * its retry is refused, {@code landed} tells from the meeting as stored whether the first one was.
     *
     * @return whether the outcome is stored: false when the lease was lost
     */
    private boolean keepWriting(ClaimedMeeting meeting, BooleanSupplier write, Predicate<Meeting> landed) throws StoppedHolding {
        Duration wait = FIRST_WRITE_RETRY;
        boolean held = false;
        try {
            while (true) {
                Instant tried = clock.instant(); // an unreachable database answers only after a timeout
                try {
                    // the outage ends with the next claim: new work is what it held up
                    return write.getAsBoolean() || held && store.meetingGet(meeting.id()).map(d -> landed.test(d.meeting())).orElse(false);
                } catch (StoreUnavailableException e) {
                    outage.failed(e, tried);
                    if (!held) {
                        held = true;
                        heldOutcomes.add(meeting.id());
                    }
                    log.debug("holding the outcome of {} ({}): {}", meeting.source(), meeting.id(), e.toString());
                }
                try {
                    Thread.sleep(wait);
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                    throw new StoppedHolding(outage.current().map(StoreOutage.Outage::condition).orElse("stopping"));
                }
                wait = wait.multipliedBy(2).compareTo(LONGEST_WRITE_RETRY) > 0 ? LONGEST_WRITE_RETRY : wait.multipliedBy(2);
            }
        } finally {
            if (held) heldOutcomes.remove(meeting.id());
        }
    }

    /** The meeting's attempt of this claim ended with {@code failure} (null: it succeeded), leaving it {@code state}. */
    private static Predicate<Meeting> endedAs(ClaimedMeeting claimed, MeetingState state, Failure failure) {
        String message = failure == null ? null : failure.message();
        return m -> m.state() == state && m.attempts().stream().anyMatch(a -> a.number() == claimed.attempt()
                && a.finishedAt() != null && Objects.equals(a.failure() == null ? null : a.failure().message(), message));
    }

    /**
     * A cancelled meeting refuses its outcome on purpose (the user's cancel is not a fault): said at debug.
     * Otherwise the lease really was lost; said with what is known of why.
     */
    private void leaseLost(ClaimedMeeting meeting) {
        MeetingState now = null;
        try {
            now = store.meetingGet(meeting.id()).map(d -> d.meeting().state()).orElse(null);
        } catch (RuntimeException e) {
            log.debug("could not read the state of {}: {}", meeting.id(), e.toString());
        }
        if (now == MeetingState.CANCELLED) {
            log.debug("{} ({}) was cancelled while attempt {} ran; its outcome was dropped",
                    meeting.source(), meeting.id(), meeting.attempt());
            return;
        }
        Duration late = heartbeatsLate;
        log.warn("lease on {} ({}) was lost before attempt {} finished; its outcome was dropped{}",
                meeting.source(), meeting.id(), meeting.attempt(), late.isZero() ? ""
                        : " (this process was paused for " + late.toMillis() + " ms before its last heartbeat: GC or a busy machine)");
    }

    private void publish(ClaimedMeeting meeting, MeetingState state, Failure failure) {
        publish(meeting, state, failure, countsOf(meeting.batchId()));
    }

    private void publish(ClaimedMeeting meeting, MeetingState state, Failure failure, BatchCounts counts) {
        events.publish(new ProgressEvent(meeting.batchId(), meeting.id(), meeting.index(), meeting.title(),
                state, meeting.attempt(), failure, counts));
    }

    /** One RUNNING event per claimed meeting, with the counts read once per batch. */
    private void publishStarted(List<ClaimedMeeting> claimed) {
        Map<String, BatchCounts> countsByBatch = new HashMap<>();
        for (ClaimedMeeting meeting : claimed) {
            publish(meeting, MeetingState.RUNNING, null, countsByBatch.computeIfAbsent(meeting.batchId(), this::countsOf));
        }
    }

    private BatchCounts countsOf(String batchId) {
        return store.batchGet(batchId).map(Batch::counts).orElse(BatchCounts.EMPTY);
    }

    /**
     * Runs until shutdown is over (it interrupts this thread): leases must outlive the shutdown grace.
     * A pause of the whole process long enough to miss a heartbeat (a long GC pause, a stopped or
     * starved process, seen by {@link #pauseWatch}) is said as such, so leases lost that way are not
     * blamed on a crash; a store call that waits for an unreachable database is no pause.
     */
    private void heartbeatLoop() {
        while (!Thread.currentThread().isInterrupted()) {
            try {
                sleepQuietly(settings.heartbeatInterval());
                Set<String> held = new HashSet<>(inFlight);
                Set<String> extended = held.isEmpty() ? Set.of() : store.meetingsHeartbeat(new MeetingQueue.HeartbeatParams(
                        owner.toString(), held, clock.instant(), settings.lease()));
                Duration paused = Duration.ofNanos(longestPauseNanos.getAndSet(0));
                boolean late = paused.compareTo(settings.heartbeatInterval()) > 0;
                heartbeatsLate = late ? paused : Duration.ZERO;
                if (late) {
                    log.warn("heartbeats ran late: this process was paused for {} ms (one heartbeat is due every {} ms, "
                                    + "a lease lasts {} ms): it was paused (GC) or the machine is too busy; meetings whose "
                                    + "lease expired meanwhile go back to the queue", paused.toMillis(),
                            settings.heartbeatInterval().toMillis(), settings.lease().toMillis());
                }
                held.removeAll(extended);
                held.retainAll(inFlight); // finished meetings are not lost, just done
                // nor are those whose outcome write may have landed: the write's retry tells (keepWriting)
                held.removeAll(heldOutcomes);
                if (!held.isEmpty()) {
                    log.warn("lost the lease on {} meeting(s){}: {}", held.size(),
                            late ? " while this process was paused" : "", held);
                }
            } catch (StoreUnavailableException e) {
                outage.failed(e, clock.instant());
                log.debug("heartbeat: {}", e.toString());
            } catch (RuntimeException e) {
                log.error("heartbeat failed: {}", e.toString(), e);
            }
        }
    }

    /**
     * Sleeps in short steps and keeps the longest overshoot: how long the whole process stood still (a
     * stop-the-world GC, SIGSTOP, a starved machine), whatever its other threads were doing then.
     */
    private void pauseWatch() {
        long step = PAUSE_WATCH_STEP.toNanos();
        while (!Thread.currentThread().isInterrupted()) {
            long before = System.nanoTime();
            sleepQuietly(PAUSE_WATCH_STEP);
            long overshoot = System.nanoTime() - before - step;
            longestPauseNanos.accumulateAndGet(overshoot, Math::max);
        }
    }

    private void reapExpired(Instant now) {
        int reaped = store.meetingsReap(new MeetingQueue.ReapParams(now, null, retryPolicy::afterLeaseLost));
        if (reaped > 0) log.info("took back {} meeting(s) with expired leases", reaped);
    }

    /**
     * Leases held by a process on this machine that has died need not wait for their expiry. Cheap
     * enough to do every {@link #DEAD_LOCAL_WORKERS_CHECK}: the owners of the running meetings, and a
     * process-table look-up for the local ones.
     */
    private void reapDeadLocalWorkers() {
        try {
            for (String holder : store.leaseOwners()) {
                WorkerId.parse(holder).filter(WorkerId::isDeadLocalProcess).ifPresent(dead -> {
                    int reaped = store.meetingsReap(
                            new MeetingQueue.ReapParams(clock.instant(), holder, retryPolicy::afterLeaseLost));
                    log.info("took back {} meeting(s) from stopped worker {}", reaped, holder);
                });
            }
        } catch (StoreUnavailableException e) {
            outage.failed(e, clock.instant()); // their leases expire; the reaper takes them then
        } catch (RuntimeException e) {
            log.error("could not take back the meetings of stopped workers: {}", e.toString(), e);
        }
    }

    private static Instant min(Instant a, Instant b) {
        return a.isBefore(b) ? a : b;
    }

    /**
     * Stops claiming, lets meetings in flight finish for up to {@code grace}, then gives the rest back
     * to the queue without counting their attempt, so the batch resumes cleanly.
     */
    public void shutdown(Duration grace) {
        synchronized (this) {
            if (!running) return;
            running = false;
        }
        wakeup.signal();
        joinQuietly(claimLoop);
        workers.shutdown();
        try {
            workers.awaitTermination(grace.toMillis(), TimeUnit.MILLISECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        Instant now = clock.instant();
        for (String id : Set.copyOf(inFlight)) {
            try {
                store.meetingRelease(new MeetingQueue.ReleaseParams(id, owner.toString(), now));
            } catch (RuntimeException e) { // its lease expires instead
                log.debug("could not give {} back to the queue: {}", id, e.toString());
            }
        }
        workers.shutdownNow();
        for (Thread thread : new Thread[]{heartbeatLoop, pauseWatch}) {
            if (thread == null) continue;
            thread.interrupt();
            joinQuietly(thread);
        }
    }

    @Override
    public void close() {
        shutdown(Duration.ofSeconds(5));
    }

    private static void sleepQuietly(Duration d) {
        try {
            Thread.sleep(d);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    private static void joinQuietly(Thread t) {
        if (t == null) return;
        try {
            t.join();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
