package io.minutes.core.engine;

import io.minutes.core.domain.Failure;
import io.minutes.core.port.Analyzer;
import io.minutes.core.port.AnalyzerException;
import io.minutes.core.port.CallAdmission;

import java.time.Duration;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * An analyzer admitted by the {@link Throttle}, telling the {@link ConcurrencyLimit} how each meeting's
 * analysis went. An analyzer that admits each of its provider calls itself ({@link Analyzer#admitsEachCall()}:
 * the HTTP analyzers, whose meeting may take several calls) is not admitted again here; any other makes one
 * call per analysis, admitted here for its estimate and settled with its usage.
 *
 * <p>The concurrency slot is the meeting's, held for its whole walk: a meeting's calls go one after the
 * other, so slots bound the calls in flight as well, and giving the slot back between calls would let the
 * dispatcher claim meetings that then wait, leased, for the calls of the meetings before them.
 */
public final class ThrottledAnalyzer implements Analyzer {
    private final Analyzer delegate;
    private final CallAdmission calls;
    private final ConcurrencyLimit concurrency;
    private final AtomicInteger inFlight = new AtomicInteger();

    /** {@code settleFailed} hears when the throttle's books could not be written (buckets kept in a store). */
    public ThrottledAnalyzer(Analyzer delegate, Throttle throttle, ConcurrencyLimit concurrency,
                             java.util.function.Consumer<RuntimeException> settleFailed) {
        this.delegate = delegate;
        this.calls = delegate.admitsEachCall() ? null : new ThrottledCalls(throttle, settleFailed);
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
    public Request prepare(Request request) {
        return delegate.prepare(request);
    }

    @Override
    public boolean admitsEachCall() {
        return true;
    }

    @Override
    public Result analyze(Request request) throws AnalyzerException {
        CallAdmission.Ticket ticket = calls == null ? null : admit(request);
        int running = inFlight.incrementAndGet();
        long started = System.nanoTime();
        try {
            Result result = delegate.analyze(request);
            if (ticket != null) ticket.answered(result.usage());
            concurrency.succeeded(Duration.ofNanos(System.nanoTime() - started), running);
            return result;
        } catch (AnalyzerException e) {
            if (ticket != null) ticket.failed(e.failure());
            // a 429 is the throttle's to answer (it paces the rate): only an overload asks for fewer slots
            if (e.failure().signalsOverload()) concurrency.dropped();
            throw e;
        } catch (RuntimeException e) {
            if (ticket != null) ticket.failed(Failure.permanent(delegate.name() + ": " + e));
            throw e;
        } finally {
            inFlight.decrementAndGet();
        }
    }

    private CallAdmission.Ticket admit(Request request) throws AnalyzerException {
        try {
            Estimate prepared = request.preparedEstimate();
            return calls.admit(prepared != null ? prepared : delegate.estimate(request));
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new AnalyzerException(Failure.of(Failure.Cause.INTERRUPTED, "interrupted while waiting for the "
                    + delegate.name() + " rate limit"));
        }
    }
}
