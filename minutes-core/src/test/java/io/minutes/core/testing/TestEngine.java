package io.minutes.core.testing;

import io.minutes.core.engine.Admission;
import io.minutes.core.engine.CachingAnalyzer;
import io.minutes.core.engine.ConcurrencyLimit;
import io.minutes.core.engine.Dispatcher;
import io.minutes.core.engine.EngineSettings;
import io.minutes.core.engine.Pipeline;
import io.minutes.core.engine.RateLimits;
import io.minutes.core.engine.RetryPolicy;
import io.minutes.core.engine.SensitiveTier;
import io.minutes.core.engine.StoreOutage;
import io.minutes.core.engine.Throttle;
import io.minutes.core.engine.ThrottledAnalyzer;
import io.minutes.core.engine.ThrottledCalls;
import io.minutes.core.engine.WorkerId;
import io.minutes.core.port.Analyzer;
import io.minutes.core.port.EventSink;
import io.minutes.core.port.MeetingQueue;
import io.minutes.core.port.RateLimitBuckets;
import io.minutes.core.port.ResultCache;

import java.time.Clock;
import java.util.Set;

/**
 * Engine parts to build in tests: what a test leaves out is as a node without those settings has it
 * (no transcriber, the default sensitive-tier providers, no budgets, unlimited admission, a fixed
 * concurrency of the settings' size, the window learned, nobody told of a store outage or of books that
 * could not be written).
 */
public final class TestEngine {

    private TestEngine() {
    }

    /** A pipeline for transcripts only: a recording fails with a message saying no transcriber is set up. */
    public static Pipeline pipeline(Analyzer analyzer) {
        return pipeline(analyzer, null);
    }

    public static Pipeline pipeline(Analyzer analyzer, Pipeline.Transcription transcription) {
        return pipeline(analyzer, transcription, Pipeline.DEFAULT_ALLOW_SENSITIVE, Pipeline.Budgets.NONE);
    }

    /** {@code allowSensitive}: the providers, by the names the analyzer and transcriber give themselves. */
    public static Pipeline pipeline(Analyzer analyzer, Pipeline.Transcription transcription, Set<String> allowSensitive,
                                    Pipeline.Budgets budgets) {
        SensitiveTier sensitive = new SensitiveTier(allowSensitive, analyzer.name(),
                transcription == null ? null : transcription.transcriber().name());
        return new Pipeline(analyzer, transcription, sensitive, budgets);
    }

    public static Dispatcher dispatcher(MeetingQueue store, Pipeline pipeline, EngineSettings settings,
                                        RetryPolicy retryPolicy, Clock clock, EventSink events, WorkerId owner) {
        return dispatcher(store, pipeline, settings, retryPolicy, clock, events, owner, Admission.UNLIMITED,
                ConcurrencyLimit.fixed(settings.concurrency()));
    }

    public static Dispatcher dispatcher(MeetingQueue store, Pipeline pipeline, EngineSettings settings,
                                        RetryPolicy retryPolicy, Clock clock, EventSink events, WorkerId owner,
                                        Admission admission, ConcurrencyLimit concurrency) {
        return new Dispatcher(store, pipeline, settings, retryPolicy, clock, events, owner, admission, concurrency,
                new StoreOutage());
    }

    public static ThrottledAnalyzer throttled(Analyzer delegate, Throttle throttle, ConcurrencyLimit concurrency) {
        return new ThrottledAnalyzer(delegate, throttle, concurrency, e -> { });
    }

    public static ThrottledCalls throttledCalls(Throttle throttle) {
        return new ThrottledCalls(throttle, e -> { });
    }

    public static CachingAnalyzer caching(Analyzer delegate, ResultCache cache, String model, Clock clock) {
        return new CachingAnalyzer(delegate, cache, model, clock, new StoreOutage());
    }

    /** A throttle that learns the provider's window ({@link Throttle.Window#AUTO}). */
    public static Throttle throttle(String provider, RateLimits configured, RateLimitBuckets buckets, Clock clock) {
        return new Throttle(provider, configured, Throttle.Window.AUTO, buckets, clock);
    }
}
