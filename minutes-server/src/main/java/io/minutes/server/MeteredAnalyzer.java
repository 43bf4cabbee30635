package io.minutes.server;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.Timer;
import io.minutes.core.port.Analyzer;
import io.minutes.core.port.AnalyzerException;

import java.util.Locale;

/** Times every provider call and counts its 429s, around any {@link Analyzer}. */
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
                .description("Provider answers 429 Too Many Requests").register(metrics.registry());
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
            if (isRateLimit(e)) {
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

    private static boolean isRateLimit(AnalyzerException e) {
        String message = e.failure().message().toLowerCase(Locale.ROOT);
        return message.contains("429") || message.contains("rate limit");
    }
}
