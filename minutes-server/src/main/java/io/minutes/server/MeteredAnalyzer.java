package io.minutes.server;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.Timer;
import io.minutes.core.port.Analyzer;
import io.minutes.core.port.AnalyzerException;

/**
 * Times every provider call and counts the calls the provider refused for its rate limit (a 429 for the rate,
 * {@link io.minutes.core.domain.Failure.Cause#RATE_LIMITED}; a 429 for an exhausted quota is a permanent failure,
 * not a rate limit), around any {@link Analyzer}.
 */
public final class MeteredAnalyzer implements Analyzer {
    private final Analyzer inner;
    private final ServerMetrics metrics;

    public MeteredAnalyzer(Analyzer inner, ServerMetrics metrics) {
        this.inner = inner;
        this.metrics = metrics;
        rateLimited(); // shown as 0 from the start
    }

    private Counter rateLimited() {
        return Counter.builder("minutes_provider_rate_limited").tag("provider", inner.name())
                .description("Provider answers 429 Too Many Requests for its rate limit").register(metrics.registry());
    }

    @Override
    public String name() {
        return inner.name();
    }

    @Override
    public boolean admitsEachCall() {
        return inner.admitsEachCall();
    }

    @Override
    public Estimate estimate(Request request) {
        return inner.estimate(request);
    }

    @Override
    public Request prepare(Request request) {
        return inner.prepare(request);
    }

    @Override
    public Result analyze(Request request) throws AnalyzerException {
        long start = System.nanoTime();
        String outcome = "ok";
        try {
            return inner.analyze(request);
        } catch (AnalyzerException e) {
            outcome = e.failure().isTransient() ? "transient" : "permanent";
            if (e.failure().rateLimited()) {
                rateLimited().increment();
            }
            throw e;
        } catch (RuntimeException e) {
            outcome = "error";
            throw e;
        } finally {
            Timer.builder("minutes_provider_latency").tag("provider", inner.name()).tag("outcome", outcome)
                    .description("Time of one provider call").publishPercentileHistogram()
                    .register(metrics.registry()).record(System.nanoTime() - start, java.util.concurrent.TimeUnit.NANOSECONDS);
        }
    }
}
