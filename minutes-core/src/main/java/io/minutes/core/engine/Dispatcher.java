package io.minutes.core.engine;

import io.minutes.core.domain.Batch;
import io.minutes.core.domain.BatchCounts;
import io.minutes.core.domain.ClaimedMeeting;
import io.minutes.core.domain.Failure;
import io.minutes.core.domain.MeetingState;
import io.minutes.core.port.EventSink;
import io.minutes.core.port.MeetingStore;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;

/**
 * The claim loop of one node. It claims only as many due meetings as it has free slots and the
 * provider's limits let start now ({@link Admission}), runs each
 * on a virtual thread through the {@link Pipeline}, writes the outcome back under the lease, keeps
 * the leases alive with heartbeats, and puts meetings of dead workers back in the queue.
 */
public final class Dispatcher implements AutoCloseable {
    private static final Logger log = LoggerFactory.getLogger(Dispatcher.class);
    /** How often the running reaper looks for leases held by dead processes on this machine. */
    static final Duration DEAD_LOCAL_WORKERS_CHECK = Duration.ofSeconds(1);

    private final MeetingStore store;
    private final Pipeline pipeline;
    private final EngineSettings settings;
    private final RetryPolicy retryPolicy;
    private final Clock clock;
    private final EventSink events;
    private final WorkerId owner;
    private final Admission admission;
    private final ConcurrencyLimit concurrency;

    private final Set<String> inFlight = ConcurrentHashMap.newKeySet();
    private final Wakeup wakeup = new Wakeup();
    private final ExecutorService workers = Executors.newVirtualThreadPerTaskExecutor();
    private volatile boolean running;
    private volatile Thread claimLoop;
    private Thread heartbeatLoop;

    public Dispatcher(MeetingStore store, Pipeline pipeline, EngineSettings settings, RetryPolicy retryPolicy,
                      Clock clock, EventSink events, WorkerId owner) {
        this(store, pipeline, settings, retryPolicy, clock, events, owner, Admission.UNLIMITED,
                ConcurrencyLimit.fixed(settings.concurrency()));
    }

    /** {@code concurrency} may adapt; {@code settings.concurrency()} stays its upper bound. */
    public Dispatcher(MeetingStore store, Pipeline pipeline, EngineSettings settings, RetryPolicy retryPolicy,
                      Clock clock, EventSink events, WorkerId owner, Admission admission,
                      ConcurrencyLimit concurrency) {
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

    public synchronized void start() {
        if (running) return;
        running = true;
        reapDeadLocalWorkers();
        claimLoop = Thread.ofPlatform().name("minutes-dispatcher").daemon().start(this::claimLoop);
        heartbeatLoop = Thread.ofPlatform().name("minutes-heartbeat").daemon().start(this::heartbeatLoop);
    }

    /** True from {@link #start} until {@link #shutdown}, while its claim loop is alive: what readiness checks. */
    public boolean isRunning() {
        Thread loop = claimLoop;
        return running && loop != null && loop.isAlive();
    }

    /** Tells an idle dispatcher that new work may be due (e.g. a batch was just stored). */
    public void wake() {
        wakeup.signal();
    }

    private void claimLoop() {
        Instant nextExpiryReap = clock.instant();
        Instant nextReap = nextExpiryReap;
        while (running) {
            try {
                Instant now = clock.instant();
                if (!now.isBefore(nextReap)) {
                    if (!now.isBefore(nextExpiryReap)) {
                        reapExpired(now);
                        nextExpiryReap = now.plus(settings.lease().dividedBy(2));
                    }
                    reapDeadLocalWorkers();
                    nextReap = min(nextExpiryReap, now.plus(DEAD_LOCAL_WORKERS_CHECK));
                }
                int free = Math.min(settings.concurrency(), concurrency.current()) - inFlight.size();
                int startable = admission.startable(free);
                if (startable > 0) {
                    List<ClaimedMeeting> claimed = store.meetingsClaim(
                            new MeetingStore.ClaimParams(owner.toString(), startable, now, settings.lease()));
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
            } catch (RuntimeException e) {
                log.error("claim loop: {}; trying again in {} ms", e.toString(), settings.idlePoll().toMillis(), e);
                sleepQuietly(settings.idlePoll());
            }
        }
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
            StepOutcome outcome = pipeline.run(meeting);
            Instant now = clock.instant();
            switch (outcome) {
                case StepOutcome.Completed done -> {
                    if (store.meetingComplete(new MeetingStore.CompleteParams(meeting.id(), owner.toString(),
                            meeting.attempt(), done.analysis(), done.usage(), now))) {
                        progress = () -> publish(meeting, MeetingState.COMPLETED, null);
                    } else {
                        leaseLost(meeting);
                    }
                }
                case StepOutcome.Failed failed -> progress = recordFailure(meeting, failed.failure(), now);
                case StepOutcome.Skipped skipped -> {
                    if (store.meetingSkip(new MeetingStore.SkipParams(meeting.id(), owner.toString(),
                            meeting.attempt(), skipped.reason(), now))) {
                        progress = () -> publish(meeting, MeetingState.SKIPPED, null);
                    } else {
                        leaseLost(meeting);
                    }
                }
            }
        } catch (RuntimeException e) {
            // The store refused or failed the write: the lease will expire and the reaper retries the meeting.
            log.error("could not record the outcome of {} ({}): {}", meeting.source(), meeting.id(), e.toString(), e);
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

    /** @return the progress to publish once the slot is free */
    private Runnable recordFailure(ClaimedMeeting meeting, Failure failure, Instant now) {
        // a 429 uses none of the meeting's attempts: a run of them is bounded by time instead
        Instant rateLimitedSince = failure.rateLimited() ? store.meetingRateLimitedSince(meeting.id()).orElse(now) : null;
        RetryPolicy.Decision decision = rateLimitedSince != null
                ? retryPolicy.decideRateLimited(Duration.between(rateLimitedSince, now), failure)
                : retryPolicy.decide(meeting.attemptInRun(), meeting.maxAttemptsOr(retryPolicy.maxAttempts()), failure);
        Failure recorded = rateLimitedSince != null && !decision.retry() ? stillRateLimited(failure, rateLimitedSince) : failure;
        boolean written = decision.retry()
                ? store.meetingRetry(new MeetingStore.RetryParams(meeting.id(), owner.toString(),
                        meeting.attempt(), recorded, now.plus(decision.delay()), now))
                : store.meetingFail(new MeetingStore.FailParams(meeting.id(), owner.toString(),
                        meeting.attempt(), recorded, now));
        if (!written) {
            leaseLost(meeting);
            return () -> { };
        }
        MeetingState state = decision.retry() ? MeetingState.QUEUED : MeetingState.FAILED;
        return () -> publish(meeting, state, recorded);
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

    private void leaseLost(ClaimedMeeting meeting) {
        log.warn("lease on {} ({}) was lost before attempt {} finished; its outcome was dropped",
                meeting.source(), meeting.id(), meeting.attempt());
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

    /** Runs until shutdown is over (it interrupts this thread): leases must outlive the shutdown grace. */
    private void heartbeatLoop() {
        while (!Thread.currentThread().isInterrupted()) {
            try {
                sleepQuietly(settings.heartbeatInterval());
                Set<String> held = new HashSet<>(inFlight);
                if (held.isEmpty()) continue;
                Set<String> extended = store.meetingsHeartbeat(new MeetingStore.HeartbeatParams(
                        owner.toString(), held, clock.instant(), settings.lease()));
                held.removeAll(extended);
                held.retainAll(inFlight); // finished meetings are not lost, just done
                if (!held.isEmpty()) log.warn("lost the lease on {} meeting(s): {}", held.size(), held);
            } catch (RuntimeException e) {
                log.error("heartbeat failed: {}", e.toString(), e);
            }
        }
    }

    private void reapExpired(Instant now) {
        int reaped = store.meetingsReap(new MeetingStore.ReapParams(now, null, retryPolicy::afterLeaseLost));
        if (reaped > 0) log.info("took back {} meeting(s) with expired leases", reaped);
    }

    /**
     * Leases held by a process on this machine that has died need not wait for their expiry. Cheap
     * enough to do every {@link #DEAD_LOCAL_WORKERS_CHECK}: the owners of the running meetings, and a
     * process-table look-up for the local ones.
     */
    private void reapDeadLocalWorkers() {
        for (String holder : store.leaseOwners()) {
            WorkerId.parse(holder).filter(WorkerId::isDeadLocalProcess).ifPresent(dead -> {
                int reaped = store.meetingsReap(
                        new MeetingStore.ReapParams(clock.instant(), holder, retryPolicy::afterLeaseLost));
                log.info("took back {} meeting(s) from stopped worker {}", reaped, holder);
            });
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
            store.meetingRelease(new MeetingStore.ReleaseParams(id, owner.toString(), now));
        }
        workers.shutdownNow();
        heartbeatLoop.interrupt();
        joinQuietly(heartbeatLoop);
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
