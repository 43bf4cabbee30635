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

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.concurrent.locks.ReentrantLock;

/**
 * Admission to one provider by its per-minute limits. A call takes 1 request plus its estimated
 * input tokens plus its {@code max_tokens} reservation from token buckets (requests, tokens, and
 * input / output tokens where the provider counts them apart); what the call really used is given
 * back or paid afterwards.
 *
 * <p>Providers enforce a minute's limit per second (60,000 RPM may mean 1,000 a second), so a bucket
 * holds at most one second's allowance and refills smoothly; it holds {@link #ARRIVAL_MARGIN} less
 * than that, so calls that reach the provider a little later than they were admitted do not add up
 * to a burst.
 *
 * <p>Limits come from configuration and from the provider's rate-limit headers (the lower wins). A
 * 429 pauses every call until its retry-after and lowers the limits by {@link #DECREASE}; after
 * {@link #CALM} without a 429 they are raised again step by step. Calls wait their turn in order, so a
 * large call is not starved by small ones.
 */
public final class Throttle implements Admission, RateLimitObserver {
    /**
     * How much later than its admission a call may reach the provider without the calls adding up to
     * a burst: a stalled sender (a busy machine, a GC pause, a new connection) delays a few calls while
     * the other nodes go on. 100 ms was too little on a busy 2-core machine: one 429 in 2,000 calls.
     */
    static final Duration ARRIVAL_MARGIN = Duration.ofMillis(250);
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

    /** What one admitted call took from each bucket. */
    public record Permit(long inputTokens, long outputTokens) {
        long cost(Kind kind) {
            return Throttle.cost(kind, inputTokens, outputTokens);
        }
    }

    private record Admitted(Instant at, long inputTokens, long outputTokens) {
    }

    /** Either a permit, or how long to wait before trying again. */
    public record Attempt(Permit permit, Duration retryIn) {
    }

    private final String provider;
    private final RateLimits configured;
    private final RateLimitBuckets buckets;
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
    private Instant lastAvailableAt;
    private final Deque<Instant> pending = new ArrayDeque<>();
    private final Deque<Admitted> recentAdmissions = new ArrayDeque<>();
    private double factor = 1.0;
    private Instant pausedUntil = Instant.MIN;
    private Instant lastDecrease = Instant.MIN;
    private Instant lastChange = Instant.MIN;

    public Throttle(String provider, RateLimits configured, RateLimitBuckets buckets, Clock clock) {
        this.provider = provider;
        this.configured = configured;
        this.buckets = buckets;
        this.clock = clock;
        synchronized (this) {
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
                Attempt attempt = tryAcquire(estimate);
                if (attempt.permit() != null) return attempt.permit();
                Thread.sleep(attempt.retryIn());
            }
        } finally {
            turn.unlock();
        }
    }

    /** Takes the call's allowance if every bucket has it now; otherwise says how long until they may. */
    public synchronized Attempt tryAcquire(Analyzer.Estimate estimate) {
        Instant now = clock.instant();
        if (now.isBefore(pausedUntil)) return new Attempt(null, Duration.between(now, pausedUntil));
        probeUp(now);
        long in = estimate.inputTokens();
        long out = estimate.maxOutputTokens();
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
                return new Attempt(null, nanos > 0 ? Duration.ofNanos(nanos) : MIN_LOOK);
            }
            if (cost > upFront(kind, cost)) bucket.consumeIgnoringRateLimits(cost - upFront(kind, cost));
        }
        pending.pollFirst();
        for (Kind kind : KINDS) {
            double c = cost(kind, in, out);
            typical[kind.ordinal()] = typical[kind.ordinal()] == 0 ? c : 0.8 * typical[kind.ordinal()] + 0.2 * c;
        }
        recentAdmissions.addLast(new Admitted(now, in, out));
        while (recentAdmissions.size() > 100) recentAdmissions.pollFirst();
        return new Attempt(new Permit(in, out), Duration.ZERO);
    }

    /** A call larger than a bucket can hold goes when the bucket is full and leaves it in debt. */
    private long upFront(Kind kind, long cost) {
        return Math.min(cost, capacity[kind.ordinal()]);
    }

    /** The call finished: what it really used replaces what was reserved. */
    public synchronized void settle(Permit permit, Usage usage) {
        long in = usage == null ? permit.inputTokens() : usage.inputTokens();
        long out = usage == null ? permit.outputTokens() : usage.outputTokens();
        for (Kind kind : KINDS) {
            if (kind == Kind.REQUESTS) continue;
            adjust(kind, permit.cost(kind) - cost(kind, in, out));
        }
    }

    /**
     * The call failed. A refused call (429) used no tokens; any other failure used its input but
     * produced no output.
     */
    public synchronized void failed(Permit permit, boolean refused) {
        settle(permit, new Usage(refused ? 0 : permit.inputTokens(), 0, 0));
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
            long available = bucket.getAvailableTokens();
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
                EstimationProbe probe = bucket.estimateAbilityToConsume(need);
                if (!probe.canBeConsumed()) waitNanos = Math.max(waitNanos, probe.getNanosToWaitForRefill());
            }
        }
        Duration wait = Duration.ofNanos(waitNanos);
        return wait.compareTo(MIN_LOOK) < 0 ? MIN_LOOK : wait;
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
        resync(Kind.REQUESTS, s.requestsRemaining());
        resync(Kind.TOKENS, s.tokensRemaining());
        resync(Kind.INPUT_TOKENS, s.inputTokensRemaining());
        resync(Kind.OUTPUT_TOKENS, s.outputTokensRemaining());
    }

    private void learn(Kind kind, Long limit) {
        if (limit != null && limit > 0) learned[kind.ordinal()] = limit;
    }

    /** The provider has less left than we think (another client on the same key): take the difference. */
    private void resync(Kind kind, Long remaining) {
        Bucket bucket = active[kind.ordinal()];
        if (bucket == null || remaining == null) return;
        long available = bucket.getAvailableTokens();
        if (remaining < available) bucket.consumeIgnoringRateLimits(available - Math.max(0, remaining));
    }

    @Override
    public synchronized void rateLimited(String provider, Duration retryAfter) {
        if (!this.provider.equals(provider)) return;
        Instant now = clock.instant();
        Duration pause = retryAfter == null || retryAfter.isNegative() ? DEFAULT_PAUSE : retryAfter;
        Instant until = now.plus(pause);
        if (until.isAfter(pausedUntil)) pausedUntil = until;
        // the 429s of calls already in flight answer the same overload: lower the limits once for them
        if (now.isBefore(lastDecrease.plus(pause.compareTo(DEFAULT_PAUSE) < 0 ? DEFAULT_PAUSE : pause))) return;
        if (effectiveBase(Kind.REQUESTS) == 0) learned[Kind.REQUESTS.ordinal()] = observedRequestsPerMinute(now);
        factor = Math.max(FLOOR, factor * DECREASE);
        lastDecrease = now;
        lastChange = now;
        applyLimits();
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
            if (limit == applied[i]) continue;
            applied[i] = limit;
            lastAvailableAt = null; // a reading of the old buckets says nothing of the new
            if (limit == 0) {
                active[i] = null;
                capacity[i] = 0;
                continue;
            }
            BucketConfiguration config = configuration(limit);
            capacity[i] = config.getBandwidths()[0].getCapacity();
            Bucket bucket = buckets.bucket("minutes:" + provider + ":" + kind.key, () -> config);
            bucket.replaceConfiguration(config, TokensInheritanceStrategy.AS_IS);
            if (active[i] == null) takeLastSecondsCalls(kind, bucket);
            active[i] = bucket;
        }
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
