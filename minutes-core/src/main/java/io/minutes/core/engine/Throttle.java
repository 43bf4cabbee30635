package io.minutes.core.engine;

import io.github.bucket4j.Bandwidth;
import io.github.bucket4j.Bucket;
import io.github.bucket4j.BucketConfiguration;
import io.github.bucket4j.ConsumptionProbe;
import io.github.bucket4j.EstimationProbe;
import io.github.bucket4j.TokensInheritanceStrategy;
import io.minutes.core.domain.RateLimitSnapshot;
import io.minutes.core.domain.Usage;
import io.minutes.core.port.Analyzer;
import io.minutes.core.port.RateLimitBuckets;
import io.minutes.core.port.RateLimitObserver;
import io.minutes.core.port.RateWindows;
import io.minutes.core.port.StoreUnavailableException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.Optional;
import java.util.concurrent.locks.ReentrantLock;
import java.util.function.Supplier;

/**
 * Admission to one provider by its per-minute limits. A call takes 1 request plus its estimated
 * input tokens plus an output reservation from token buckets (requests, tokens, and input / output
 * tokens where the provider counts them apart); what the call really used is given back or paid
 * afterwards. The output reservation is a high percentile of what this provider's answers have used
 * ({@link #OUTPUT_PERCENTILE}), {@code max_tokens} until there are {@link #OUTPUT_SAMPLES_NEEDED}.
 *
 * <p>How the provider enforces its limits is learned, not assumed. A bucket starts holding the
 * minute's allowance, so a provider that lets a minute's allowance go in a burst (a 60 s window, a
 * minute's token bucket) gets one; after every answer it is set to what the provider's rate-limit
 * headers say is left, less the calls admitted too lately for it to show ({@link #UNSEEN_WINDOW}). A 429 while
 * the headers (or, without headers, our own count) said the minute had room shows that the provider
 * quantises the minute into seconds: from then on, for the run, a bucket holds one second's allowance
 * less {@link #ARRIVAL_MARGIN} and refills smoothly ({@link Window#SECOND}, also configurable). What
 * was learned is kept in {@link RateWindows} (the store), per provider and model, where the other nodes
 * and later runs read it, so they pace per second too without a 429 of their own. A 429
 * pauses every call until its retry-after; only repeated 429s in the per-second model lower the limits
 * (by {@link #DECREASE}; raised again step by step after {@link #CALM}). Calls wait their turn in
 * order, so a large call is not starved by small ones.
 *
 * <p>Limits come from configuration and from the provider's rate-limit headers (the lower wins).
 */
public final class Throttle implements Admission, RateLimitObserver {
    /**
     * How much later than its admission a call may reach the provider without the calls adding up to
     * a burst: a stalled sender (a busy machine, a GC pause, a new connection) delays a few calls while
     * the other nodes go on. 100 ms was too little on a busy 2-core machine: one 429 in 2,000 calls.
     */
    static final Duration ARRIVAL_MARGIN = Duration.ofMillis(250);
    /**
     * How long an admitted call may take to reach the provider and be counted in the headers of its
     * answers. Larger is safer and slower: what is subtracted stays behind the provider's refill for
     * the rest of the run (250 ms of calls cost a TPM-bound batch 20% of its allowance in the bench).
     */
    static final Duration UNSEEN_WINDOW = Duration.ofMillis(50);
    static final int OUTPUT_SAMPLES_NEEDED = 20;
    static final double OUTPUT_PERCENTILE = 0.95;
    private static final int OUTPUT_SAMPLES_KEPT = 512;
    /** Two 429 episodes this close together in the per-second model mean the limit itself is too high. */
    static final Duration REPEATED = Duration.ofSeconds(60);
    /** How often a throttle pacing a minute's allowance asks whether another node learned the provider quantises it. */
    static final Duration WINDOW_POLL = Duration.ofSeconds(5);
    /**
     * How long a window learned by another node (or an earlier run) stands: a provider that changed
     * how it enforces, or a stray 429, does not keep every later run from a minute's burst.
     */
    static final Duration LEARNED_KEPT = Duration.ofDays(1);
    private static final Logger log = LoggerFactory.getLogger(Throttle.class);

    /** The window the provider is taken to enforce a minute's limit over. */
    public enum Window {
        /** Start with the minute's allowance as the headers allow; per second once a 429 shows it is quantised. */
        AUTO,
        /** Per second from the start (a provider known to quantise its limits). */
        SECOND
    }
    static final Duration DEFAULT_PAUSE = Duration.ofSeconds(1);
    static final Duration CALM = Duration.ofSeconds(5);
    static final double DECREASE = 0.8;
    static final double INCREASE = 0.05;
    static final double FLOOR = 0.25;
    /** A claimed meeting that has not asked for admission after this long no longer holds a place. */
    static final Duration PENDING_EXPIRY = Duration.ofSeconds(2);
    private static final Duration MIN_LOOK = Duration.ofMillis(5);
    /** How long a reading of the buckets stands in for asking them again. */
    private static final Duration READING_FRESH = Duration.ofMillis(20);

    enum Kind {
        REQUESTS("requests"), TOKENS("tokens"), INPUT_TOKENS("input-tokens"), OUTPUT_TOKENS("output-tokens");

        final String key;

        Kind(String key) {
            this.key = key;
        }
    }

    private static final Kind[] KINDS = Kind.values();

    /**
     * What one admitted call took from each bucket, and when ({@code null}: not known, as if admitted
     * just now).
     */
    public record Permit(long inputTokens, long outputTokens, Instant admittedAt) {
        long cost(Kind kind) {
            return Throttle.cost(kind, inputTokens, outputTokens);
        }
    }

    private record Admitted(Instant at, long inputTokens, long outputTokens) {
    }

    /**
     * Either a permit, or how long to wait before trying again. (Not an attempt: that is a stored try
     * of a meeting, {@link io.minutes.core.domain.Attempt}.)
     */
    public record PermitOrWait(Permit permit, Duration retryIn) {
    }

    private final String provider;
    private final String model;
    private final RateLimits configured;
    private final RateLimitBuckets buckets;
    private final RateWindows windows;
    private final Clock clock;
    private final ReentrantLock turn = new ReentrantLock(true);

    // guarded by this
    private final long[] learned = new long[KINDS.length];
    private final long[] applied = new long[KINDS.length];
    private final long[] capacity = new long[KINDS.length];
    private final Bucket[] active = new Bucket[KINDS.length];
    private final double[] typical = new double[KINDS.length];
    /** Tokens each bucket held at {@link #lastAvailableAt}, as {@link #startable} read them. */
    private final long[] lastAvailable = new long[KINDS.length];
    /** Calls admitted up to this instant are counted in the bucket as the provider's headers counted them. */
    private final Instant[] seenUpTo = new Instant[KINDS.length];
    private Instant lastAvailableAt;
    /** When each meeting claimed and not yet admitted stops counting ({@link #PENDING_EXPIRY}). */
    private final Deque<Instant> pending = new ArrayDeque<>();
    /**
     * Whether the meeting on this thread took its place among the {@link #pending} already: its first call
     * takes it, its later calls (the parts of a long transcript, their merge, a repair) must not take
     * another meeting's. A meeting's calls go one after another on the thread the dispatcher runs it on.
     */
    private final ThreadLocal<Boolean> placeTaken = ThreadLocal.withInitial(() -> false);
    private final Deque<Admitted> recentAdmissions = new ArrayDeque<>();
    private double factor = 1.0;
    private boolean perSecond;
    private boolean appliedPerSecond;
    private final long[] outputs = new long[OUTPUT_SAMPLES_KEPT];
    private int outputCount;
    private RateLimitSnapshot lastSnapshot;
    private Instant lastSnapshotAt = Instant.MIN;
    private Instant lastEpisode = Instant.MIN;
    private Instant pausedUntil = Instant.MIN;
    private Instant lastDecrease = Instant.MIN;
    private Instant lastChange = Instant.MIN;
    private Instant windowReadAt = Instant.MIN;

    /** A throttle of a provider with no models (or one limit for all of them) that keeps nothing it learned. */
    public Throttle(String provider, RateLimits configured, Window window, RateLimitBuckets buckets, Clock clock) {
        this(provider, provider, configured, window, buckets, RateWindows.NONE, clock);
    }

    /**
     * The limits of {@code model} at {@code provider} (a provider with no models is its own model):
     * providers set and enforce their limits per model (OpenAI; Anthropic per model class), so the buckets
     * and what is learned of the window are {@code model}'s. {@code provider} is the name the provider's
     * adapter reports its headers and 429s under. {@code windows}: where the window learned is kept for the
     * other nodes and the next run; read now and every {@link #WINDOW_POLL} until this throttle paces per
     * second.
     */
    public Throttle(String provider, String model, RateLimits configured, Window window, RateLimitBuckets buckets,
                    RateWindows windows, Clock clock) {
        this.provider = provider;
        this.model = model;
        this.configured = configured;
        this.buckets = buckets;
        this.windows = windows;
        this.clock = clock;
        this.perSecond = window == Window.SECOND;
        synchronized (this) {
            readLearnedWindow(clock.instant());
            applyLimits();
        }
    }

    static long cost(Kind kind, long inputTokens, long outputTokens) {
        return switch (kind) {
            case REQUESTS -> 1;
            case TOKENS -> inputTokens + outputTokens;
            case INPUT_TOKENS -> inputTokens;
            case OUTPUT_TOKENS -> outputTokens;
        };
    }

    /** Waits (in order of arrival) until the call may go, and takes its allowance. */
    public Permit acquire(Analyzer.Estimate estimate) throws InterruptedException {
        turn.lockInterruptibly();
        try {
            while (true) {
                PermitOrWait answer = tryAcquire(estimate);
                if (answer.permit() != null) return answer.permit();
                Thread.sleep(answer.retryIn());
            }
        } finally {
            turn.unlock();
        }
    }

    /** Takes the call's allowance if every bucket has it now; otherwise says how long until they may. */
    public synchronized PermitOrWait tryAcquire(Analyzer.Estimate estimate) {
        Instant now = clock.instant();
        if (now.isBefore(pausedUntil)) return new PermitOrWait(null, Duration.between(now, pausedUntil));
        readLearnedWindow(now);
        probeUp(now);
        long in = estimate.inputTokens();
        long out = outputReservation(estimate.maxOutputTokens());
        // one round trip a bucket (they may be shared in PostgreSQL): take, or learn how long to wait
        for (int i = 0; i < KINDS.length; i++) {
            Kind kind = KINDS[i];
            Bucket bucket = active[i];
            if (bucket == null) continue;
            long cost = cost(kind, in, out);
            ConsumptionProbe probe = bucket.tryConsumeAndReturnRemaining(upFront(kind, cost));
            if (!probe.isConsumed()) {
                for (int j = 0; j < i; j++) {
                    if (active[j] != null) active[j].addTokens(upFront(KINDS[j], cost(KINDS[j], in, out)));
                }
                long nanos = probe.getNanosToWaitForRefill();
                return new PermitOrWait(null, nanos > 0 ? Duration.ofNanos(nanos) : MIN_LOOK);
            }
            if (cost > upFront(kind, cost)) bucket.consumeIgnoringRateLimits(cost - upFront(kind, cost));
        }
        if (!placeTaken.get()) {
            pending.pollFirst();
            placeTaken.set(true);
        }
        for (Kind kind : KINDS) {
            double c = cost(kind, in, out);
            typical[kind.ordinal()] = typical[kind.ordinal()] == 0 ? c : 0.8 * typical[kind.ordinal()] + 0.2 * c;
        }
        recentAdmissions.addLast(new Admitted(now, in, out));
        while (recentAdmissions.size() > 1_000) recentAdmissions.pollFirst();
        return new PermitOrWait(new Permit(in, out, now), Duration.ZERO);
    }

    /** A call larger than a bucket can hold goes when the bucket is full and leaves it in debt. */
    private long upFront(Kind kind, long cost) {
        return Math.min(cost, capacity[kind.ordinal()]);
    }

    /** A high percentile of the output answers have used; {@code maxOutputTokens} until enough are known. */
    synchronized long outputReservation(long maxOutputTokens) {
        if (outputCount < OUTPUT_SAMPLES_NEEDED) return maxOutputTokens;
        int n = Math.min(outputCount, OUTPUT_SAMPLES_KEPT);
        long[] sorted = java.util.Arrays.copyOf(outputs, n);
        java.util.Arrays.sort(sorted);
        long p = sorted[Math.min(n - 1, (int) Math.ceil(OUTPUT_PERCENTILE * n) - 1)];
        return maxOutputTokens > 0 ? Math.min(maxOutputTokens, p) : p;
    }

    /** The call finished: what it really used replaces what was reserved. */
    public synchronized void settle(Permit permit, Usage usage) {
        if (usage != null) outputs[outputCount++ % OUTPUT_SAMPLES_KEPT] = usage.outputTokens();
        settleUsage(permit, usage);
    }

    private void settleUsage(Permit permit, Usage usage) {
        long in = usage == null ? permit.inputTokens() : usage.inputTokens();
        long out = usage == null ? permit.outputTokens() : usage.outputTokens();
        for (Kind kind : KINDS) {
            if (kind == Kind.REQUESTS || seenByProvider(kind, permit)) continue;
            adjust(kind, permit.cost(kind) - cost(kind, in, out));
        }
    }

    /**
     * Whether the provider's word already counts this call as it charges it: the bucket was set to
     * what the headers said was left after the call reached the provider. Its reservation was
     * replaced then; giving the difference back now would count it twice (and send the next call
     * into a 429). So it is whichever model the throttle is in now: a bucket set to the headers' word
     * in the minute model and then emptied by the 429 that taught the per-second one gives nothing back
     * either.
     */
    private boolean seenByProvider(Kind kind, Permit permit) {
        Instant seenUpTo = this.seenUpTo[kind.ordinal()];
        return permit.admittedAt() != null && seenUpTo != null && !permit.admittedAt().isAfter(seenUpTo);
    }

    /**
     * The call failed. A refused call (429) used no tokens; any other failure used its input but
     * produced no output.
     */
    public synchronized void failed(Permit permit, boolean refused) {
        settleUsage(permit, new Usage(refused ? 0 : permit.inputTokens(), 0, 0));
    }

    private void adjust(Kind kind, long refund) {
        Bucket bucket = active[kind.ordinal()];
        if (bucket == null || refund == 0) return;
        if (refund > 0) bucket.addTokens(refund);
        else bucket.consumeIgnoringRateLimits(-refund);
    }

    // ---- what the dispatcher asks ------------------------------------------------------------------

    @Override
    public synchronized int startable(int wanted) {
        Instant now = clock.instant();
        if (wanted <= 0 || now.isBefore(pausedUntil)) return 0;
        while (!pending.isEmpty() && pending.peekFirst().isBefore(now)) pending.pollFirst();
        long n = wanted;
        for (Kind kind : KINDS) {
            Bucket bucket = active[kind.ordinal()];
            double per = Math.min(typicalCost(kind), capacity[kind.ordinal()]);
            if (bucket == null || per <= 0) continue;
            long available = shared(bucket::getAvailableTokens);
            lastAvailable[kind.ordinal()] = available;
            double free = available - pending.size() * per;
            n = Math.min(n, (long) Math.floor(Math.max(0, free) / per));
        }
        lastAvailableAt = now;
        return (int) n;
    }

    @Override
    public synchronized void claimed(int count) {
        Instant expiry = clock.instant().plus(PENDING_EXPIRY);
        for (int i = 0; i < count; i++) pending.addLast(expiry);
    }

    /**
     * Worked out from what {@link #startable} just read, as the buckets refill at their rate, when that
     * reading is fresh: the dispatcher asks right after it, and the buckets may be a database away.
     */
    @Override
    public synchronized Duration untilStartable() {
        Instant now = clock.instant();
        if (now.isBefore(pausedUntil)) return Duration.between(now, pausedUntil);
        boolean fresh = lastAvailableAt != null && !now.isAfter(lastAvailableAt.plus(READING_FRESH));
        long waitNanos = 0;
        for (Kind kind : KINDS) {
            int i = kind.ordinal();
            Bucket bucket = active[i];
            double per = Math.min(typicalCost(kind), capacity[i]);
            if (bucket == null || per <= 0) continue;
            long need = (long) Math.ceil(Math.min(capacity[i], (pending.size() + 1) * per));
            if (fresh) {
                double perNano = applied[i] / 60e9;
                double available = Math.min(capacity[i],
                        lastAvailable[i] + perNano * Duration.between(lastAvailableAt, now).toNanos());
                if (available < need) waitNanos = Math.max(waitNanos, (long) Math.ceil((need - available) / perNano));
            } else {
                EstimationProbe probe = shared(() -> bucket.estimateAbilityToConsume(need));
                if (!probe.canBeConsumed()) waitNanos = Math.max(waitNanos, probe.getNanosToWaitForRefill());
            }
        }
        Duration wait = Duration.ofNanos(waitNanos);
        return wait.compareTo(MIN_LOOK) < 0 ? MIN_LOOK : wait;
    }

    /**
     * A reading of the buckets for the claim loop. Buckets kept in a shared store fail only when it cannot
     * be reached: that is an outage of the store (waited out quietly), not a fault of the claim loop.
     */
    private static <T> T shared(Supplier<T> reading) {
        try {
            return reading.get();
        } catch (StoreUnavailableException e) {
            throw e;
        } catch (RuntimeException e) {
            throw new StoreUnavailableException(StoreUnavailableException.DATABASE_UNREACHABLE, "throttle", e);
        }
    }

    private double typicalCost(Kind kind) {
        return kind == Kind.REQUESTS ? 1 : typical[kind.ordinal()];
    }

    // ---- what the provider says ------------------------------------------------------------------

    @Override
    public synchronized void observed(String provider, RateLimitSnapshot s) {
        if (!this.provider.equals(provider) || s == null) return;
        learn(Kind.REQUESTS, s.requestsLimit());
        learn(Kind.TOKENS, s.tokensLimit());
        learn(Kind.INPUT_TOKENS, s.inputTokensLimit());
        learn(Kind.OUTPUT_TOKENS, s.outputTokensLimit());
        applyLimits();
        Instant now = clock.instant();
        lastSnapshot = s;
        lastSnapshotAt = now;
        resync(Kind.REQUESTS, s.requestsRemaining(), now);
        resync(Kind.TOKENS, s.tokensRemaining(), now);
        resync(Kind.INPUT_TOKENS, s.inputTokensRemaining(), now);
        resync(Kind.OUTPUT_TOKENS, s.outputTokensRemaining(), now);
    }

    private void learn(Kind kind, Long limit) {
        if (limit != null && limit > 0) learned[kind.ordinal()] = limit;
    }

    /**
     * What the provider says is left, less the calls admitted in the last {@link #UNSEEN_WINDOW} that
     * may not have reached it yet. Less than we hold (another client on the same key, a 60 s window that
     * does not refill smoothly): take the difference. More than we hold, in the minute model: the
     * provider's word wins, so an undercount is never kept for the rest of the run (calls counted twice
     * for a moment, an output reservation above what the answer used). In the per-second model the
     * minute's remaining says nothing of the second's, so it only ever lowers; a bucket it lowered holds
     * the provider's word, which replaced the reservations of the calls it counts, as in the minute model.
     */
    private void resync(Kind kind, Long remaining, Instant now) {
        Bucket bucket = active[kind.ordinal()];
        if (bucket == null || remaining == null) return;
        Instant since = now.minus(UNSEEN_WINDOW);
        long unseen = 0;
        for (var it = recentAdmissions.descendingIterator(); it.hasNext(); ) {
            Admitted a = it.next();
            if (!a.at().isAfter(since)) break;
            unseen += cost(kind, a.inputTokens(), a.outputTokens());
        }
        long left = Math.max(0, remaining - unseen);
        long available = bucket.getAvailableTokens();
        if (left > available && perSecond) return; // the bucket keeps its own count: the reservations stand
        if (left < available) bucket.consumeIgnoringRateLimits(available - left);
        else if (left > available) bucket.addTokens(left - available);
        seenUpTo[kind.ordinal()] = since;
    }

    /** Whether the headers just read say some allowance is used up (the 429 is the minute's, not a shorter window's). */
    private boolean headersSayUsedUp(Instant now) {
        RateLimitSnapshot s = lastSnapshot;
        if (s == null || Duration.between(lastSnapshotAt, now).compareTo(ARRIVAL_MARGIN) > 0) return false;
        return usedUp(Kind.REQUESTS, s.requestsRemaining()) || usedUp(Kind.TOKENS, s.tokensRemaining())
                || usedUp(Kind.INPUT_TOKENS, s.inputTokensRemaining()) || usedUp(Kind.OUTPUT_TOKENS, s.outputTokensRemaining());
    }

    private boolean usedUp(Kind kind, Long remaining) {
        return remaining != null && remaining < Math.max(1, typicalCost(kind));
    }

    /** Whether the last headers told anything at all, lately. */
    private boolean headersKnown(Instant now) {
        return lastSnapshot != null && !lastSnapshot.isEmpty()
                && Duration.between(lastSnapshotAt, now).compareTo(ARRIVAL_MARGIN) <= 0;
    }

    /**
     * A 429. Every call pauses until its retry-after. The 429s of calls already in flight answer the
     * same overload: one episode. What the episode teaches depends on what the provider said: an
     * allowance used up (its minute's window or bucket) needs nothing more than the pause; a 429 while
     * the minute had room means the provider enforces a shorter window, per second from now on; a
     * repeated 429 in the per-second model means the limit itself is too high, and it is lowered.
     */
    @Override
    public synchronized void rateLimited(String provider, Duration retryAfter) {
        if (!this.provider.equals(provider)) return;
        Instant now = clock.instant();
        Duration pause = retryAfter == null || retryAfter.isNegative() ? DEFAULT_PAUSE : retryAfter;
        Instant until = now.plus(pause);
        if (until.isAfter(pausedUntil)) pausedUntil = until;
        if (now.isBefore(lastDecrease.plus(pause.compareTo(DEFAULT_PAUSE) < 0 ? DEFAULT_PAUSE : pause))) return;
        lastDecrease = now;
        Instant previousEpisode = lastEpisode;
        lastEpisode = now;
        if (headersSayUsedUp(now)) return;
        boolean noLimitKnown = effectiveBase(Kind.REQUESTS) == 0 && !headersKnown(now);
        if (noLimitKnown) learned[Kind.REQUESTS.ordinal()] = observedRequestsPerMinute(now);
        if (!perSecond) {
            perSecond = true;
            applyLimits();
            emptyBuckets(); // the provider just said this second's allowance is gone
            keepLearnedWindow(now);
            if (!noLimitKnown) return;
        } else if (!noLimitKnown && now.isAfter(previousEpisode.plus(REPEATED))) {
            return;
        }
        factor = Math.max(FLOOR, factor * DECREASE);
        lastChange = now;
        applyLimits();
    }

    /** Whether another node (or an earlier run) learned that the provider paces this model per second: then so does this one. */
    private void readLearnedWindow(Instant now) {
        if (perSecond || now.isBefore(windowReadAt.plus(WINDOW_POLL))) return;
        windowReadAt = now;
        try {
            Optional<Instant> learnedAt = windows.rateWindowPerSecondSince(provider, model);
            if (learnedAt.isEmpty() || learnedAt.get().isBefore(now.minus(LEARNED_KEPT))) return;
        } catch (RuntimeException e) {
            log.debug("could not read the rate window learned for {} {}: {}", provider, model, e.toString());
            return;
        }
        perSecond = true;
        applyLimits();
    }

    private void keepLearnedWindow(Instant now) {
        try {
            windows.rateWindowPerSecondLearned(provider, model, now);
        } catch (RuntimeException e) {
            // this node paces per second anyway; the others learn it from their own 429
            log.debug("could not keep the rate window learned for {} {}: {}", provider, model, e.toString());
        }
    }

    private void emptyBuckets() {
        for (Bucket bucket : active) {
            if (bucket == null) continue;
            long available = bucket.getAvailableTokens();
            if (available > 0) bucket.consumeIgnoringRateLimits(available);
        }
    }

    /** Whether the limits are paced per second (told so, or learned from a 429). */
    synchronized boolean pacedPerSecond() {
        return perSecond;
    }

    /** With no limit known, what was being sent when the provider refused is the first guess. */
    private long observedRequestsPerMinute(Instant now) {
        if (recentAdmissions.size() < 2) return 60;
        double seconds = Math.max(1, Duration.between(recentAdmissions.peekFirst().at(), now).toMillis() / 1000.0);
        return Math.max(1, Math.round(recentAdmissions.size() * 60 / seconds));
    }

    private void probeUp(Instant now) {
        if (factor >= 1.0 || now.isBefore(lastChange.plus(CALM))) return;
        factor = Math.min(1.0, factor + INCREASE);
        lastChange = now;
        applyLimits();
    }

    // ---- buckets --------------------------------------------------------------------------------

    private long effectiveBase(Kind kind) {
        long configuredLimit = switch (kind) {
            case REQUESTS -> configured.requestsPerMinute();
            case TOKENS -> configured.tokensPerMinute();
            case INPUT_TOKENS -> configured.inputTokensPerMinute();
            case OUTPUT_TOKENS -> configured.outputTokensPerMinute();
        };
        long fromProvider = learned[kind.ordinal()];
        if (configuredLimit == 0) return fromProvider;
        return fromProvider == 0 ? configuredLimit : Math.min(configuredLimit, fromProvider);
    }

    /** The per-minute limit in force now, or 0 when there is none. */
    synchronized long limitPerMinute(Kind kind) {
        long base = effectiveBase(kind);
        return base == 0 ? 0 : Math.max(1, Math.round(base * factor));
    }

    private void applyLimits() {
        for (Kind kind : KINDS) {
            int i = kind.ordinal();
            long limit = limitPerMinute(kind);
            if (limit == applied[i] && perSecond == appliedPerSecond) continue;
            applied[i] = limit;
            lastAvailableAt = null; // a reading of the old buckets says nothing of the new
            if (limit == 0) {
                active[i] = null;
                capacity[i] = 0;
                continue;
            }
            BucketConfiguration config = perSecond ? configuration(limit) : minuteConfiguration(limit);
            capacity[i] = config.getBandwidths()[0].getCapacity();
            Bucket bucket = buckets.bucket("minutes:" + provider + ":" + model + ":" + kind.key, () -> config);
            bucket.replaceConfiguration(config, TokensInheritanceStrategy.AS_IS);
            if (active[i] == null) takeLastSecondsCalls(kind, bucket);
            active[i] = bucket;
        }
        appliedPerSecond = perSecond;
    }

    /**
     * A limit just learned from the headers: the calls sent in the last second, before it was known,
     * have already used part of the provider's allowance.
     */
    private void takeLastSecondsCalls(Kind kind, Bucket bucket) {
        Instant since = clock.instant().minusSeconds(1);
        long used = 0;
        for (Admitted a : recentAdmissions) {
            if (a.at().isAfter(since)) used += cost(kind, a.inputTokens(), a.outputTokens());
        }
        if (used > 0) bucket.consumeIgnoringRateLimits(Math.min(used, bucket.getAvailableTokens()));
    }

    /** The minute's allowance, refilled smoothly at the minute's rate: a burst as large as the provider allows. */
    static BucketConfiguration minuteConfiguration(long perMinute) {
        return BucketConfiguration.builder()
                .addLimit(Bandwidth.builder().capacity(perMinute).refillGreedy(perMinute, Duration.ofMinutes(1))
                        .initialTokens(perMinute).build())
                .build();
    }

    /** One second's allowance less the arrival margin, refilled smoothly at the minute's rate. */
    static BucketConfiguration configuration(long perMinute) {
        double perSecond = perMinute / 60.0;
        double margin = perSecond * ARRIVAL_MARGIN.toMillis() / 1000.0;
        long capacity = Math.max(1, (long) Math.floor(perSecond - margin));
        return BucketConfiguration.builder()
                .addLimit(Bandwidth.builder().capacity(capacity).refillGreedy(perMinute, Duration.ofMinutes(1))
                        .initialTokens(capacity).build())
                .build();
    }
}
