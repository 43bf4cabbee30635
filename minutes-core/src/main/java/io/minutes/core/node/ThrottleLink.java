package io.minutes.core.node;

import io.minutes.core.domain.RateLimitSnapshot;
import io.minutes.core.engine.Throttle;
import io.minutes.core.engine.ThrottledCalls;
import io.minutes.core.port.Analyzer;
import io.minutes.core.port.CallAdmission;
import io.minutes.core.port.RateLimitObserver;

import java.time.Duration;
import java.util.function.Consumer;

/**
 * The throttle a provider adapter reports to and is admitted by, attached by the {@link Node} once the
 * store that keeps its buckets is open. It lets an adapter be built once, from its settings, before
 * anything is opened: bad provider settings stop a command before it connects to a database, and the
 * adapter that was checked is the one that runs.
 */
public final class ThrottleLink implements RateLimitObserver, CallAdmission {
    private volatile RateLimitObserver observer;
    private volatile CallAdmission admission;

    /**
     * From now on, calls are admitted by {@code throttle} and what the provider says of its limits is told
     * to it; {@code bookkeepingFailed} hears when the throttle's buckets (kept in a store) cannot be written.
     */
    void attach(Throttle throttle, Consumer<RuntimeException> bookkeepingFailed) {
        if (admission != null) throw new IllegalStateException("this adapter already belongs to a node");
        observer = RateLimitObserver.neverFailing(throttle, bookkeepingFailed);
        admission = new ThrottledCalls(throttle, bookkeepingFailed);
    }

    boolean attached() {
        return admission != null;
    }

    @Override
    public void observed(String provider, RateLimitSnapshot snapshot) {
        RateLimitObserver o = observer;
        if (o != null) o.observed(provider, snapshot);
    }

    @Override
    public void rateLimited(String provider, Duration retryAfter) {
        RateLimitObserver o = observer;
        if (o != null) o.rateLimited(provider, retryAfter);
    }

    @Override
    public Ticket admit(Analyzer.Estimate estimate) throws InterruptedException {
        CallAdmission a = admission;
        if (a == null) throw new IllegalStateException("a provider call before its node attached the throttle (a wiring bug)");
        return a.admit(estimate);
    }
}
