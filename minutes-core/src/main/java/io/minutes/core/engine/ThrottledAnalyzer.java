package io.minutes.core.engine;

import io.minutes.core.port.Analyzer;
import io.minutes.core.port.AnalyzerException;
import io.minutes.core.domain.Failure;

import java.time.Duration;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * An analyzer that waits for the {@link Throttle}'s admission before each call, settles what the
 * call really used afterwards, and tells the {@link ConcurrencyLimit} how the call went.
 */
public final class ThrottledAnalyzer implements Analyzer {
    private final Analyzer delegate;
    private final Throttle throttle;
    private final ConcurrencyLimit concurrency;
    private final AtomicInteger inFlight = new AtomicInteger();

    public ThrottledAnalyzer(Analyzer delegate, Throttle throttle, ConcurrencyLimit concurrency) {
        this.delegate = delegate;
        this.throttle = throttle;
        this.concurrency = concurrency;
    }

    @Override
    public String name() {
        return delegate.name();
    }

    @Override
    public Estimate estimate(Request request) {
        return delegate.estimate(request);
    }

    @Override
    public Result analyze(Request request) throws AnalyzerException {
        Throttle.Permit permit;
        try {
            permit = throttle.acquire(delegate.estimate(request));
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new AnalyzerException(Failure.transientFailure("interrupted while waiting for the "
                    + delegate.name() + " rate limit"));
        }
        int running = inFlight.incrementAndGet();
        long started = System.nanoTime();
        try {
            Result result = delegate.analyze(request);
            throttle.settle(permit, result.usage());
            concurrency.succeeded(Duration.ofNanos(System.nanoTime() - started), running);
            return result;
        } catch (AnalyzerException e) {
            throttle.failed(permit, e.failure().retryAfter() != null);
            // a 429 is the throttle's to answer (it paces the rate); fewer slots would not help
            if (e.failure().isTransient() && e.failure().retryAfter() == null) concurrency.dropped();
            throw e;
        } catch (RuntimeException e) {
            throttle.failed(permit, false);
            throw e;
        } finally {
            inFlight.decrementAndGet();
        }
    }
}
