package io.minutes.core.engine;

import io.minutes.core.port.Analyzer;
import io.minutes.core.port.AnalyzerException;
import io.minutes.core.port.StoreUnavailableException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import io.minutes.core.domain.Failure;

import java.time.Duration;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * An analyzer that waits for the {@link Throttle}'s admission before each call, settles what the
 * call really used afterwards, and tells the {@link ConcurrencyLimit} how the call went.
 */
public final class ThrottledAnalyzer implements Analyzer {
    private static final Logger log = LoggerFactory.getLogger(ThrottledAnalyzer.class);
    private final Analyzer delegate;
    private final Throttle throttle;
    private final ConcurrencyLimit concurrency;
    private final AtomicInteger inFlight = new AtomicInteger();
    private final java.util.function.Consumer<RuntimeException> settleFailed;

    public ThrottledAnalyzer(Analyzer delegate, Throttle throttle, ConcurrencyLimit concurrency) {
        this(delegate, throttle, concurrency, e -> { });
    }

    /** {@code settleFailed} hears when the throttle's books could not be written (buckets kept in a store). */
    public ThrottledAnalyzer(Analyzer delegate, Throttle throttle, ConcurrencyLimit concurrency,
                             java.util.function.Consumer<RuntimeException> settleFailed) {
        this.settleFailed = settleFailed;
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
        } catch (RuntimeException e) {
            // only buckets kept in a shared store fail here: nothing was sent, and it is not the meeting's fault
            throw new StoreUnavailableException("the shared rate limits cannot be read", "throttle", e);
        }
        int running = inFlight.incrementAndGet();
        long started = System.nanoTime();
        try {
            Result result = delegate.analyze(request);
            settle(permit, result);
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

    /** A paid answer is never lost to the rate-limit bookkeeping: buckets that cannot be written are left as reserved. */
    private void settle(Throttle.Permit permit, Result result) {
        try {
            throttle.settle(permit, result.usage());
        } catch (RuntimeException e) {
            settleFailed.accept(e);
            log.debug("could not settle the rate-limit reservation: {}", e.toString());
        }
    }
}
