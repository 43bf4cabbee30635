package io.minutes.core.engine;

import io.minutes.core.domain.Usage;
import io.minutes.core.ingest.ContentHash;
import io.minutes.core.port.Analyzer;
import io.minutes.core.port.AnalyzerException;
import io.minutes.core.port.ResultCache;

import java.time.Clock;
import java.util.Optional;

/**
 * Answers from the {@link ResultCache} when the same transcript was analysed before by the same
 * provider, model and analysis version, at no cost; otherwise asks the analyzer it wraps and keeps
 * the answer. Wraps the throttled analyzer, so a cache hit takes no rate-limit tokens either.
 */
public final class CachingAnalyzer implements Analyzer {
    private final Analyzer delegate;
    private final ResultCache cache;
    private final String model;
    private final Clock clock;

    public CachingAnalyzer(Analyzer delegate, ResultCache cache, String model, Clock clock) {
        this.delegate = delegate;
        this.cache = cache;
        this.model = model;
        this.clock = clock;
    }

    @Override
    public String name() {
        return delegate.name();
    }

    @Override
    public Result analyze(Request request) throws AnalyzerException {
        ResultCache.ResultKey key = keyOf(request);
        Optional<io.minutes.core.domain.Analysis> cached = cache.resultFind(key);
        if (cached.isPresent()) return new Result(cached.get(), Usage.NONE);
        Result result = delegate.analyze(request);
        cache.resultPut(key, result.analysis(), clock.instant());
        return result;
    }

    /**
     * Who made a batch's answers, as deduplication compares them: the provider, the model and the
     * analysis version, and whether transcripts are redacted first. Minutes made by another of these are
     * not the minutes asked for.
     */
    public static String analyzerIdentity(String provider, String model, boolean redacted) {
        return provider + "/" + model + "/analysis-" + ResultCache.ANALYSIS_VERSION + (redacted ? "/redacted" : "");
    }

    /** The provider's estimate, marked cached when the answer is here: then analyzing costs nothing. */
    @Override
    public Estimate estimate(Request request) {
        Estimate estimate = delegate.estimate(request);
        return cache.resultFind(keyOf(request)).isPresent() ? estimate.answeredFromCache() : estimate;
    }

    private ResultCache.ResultKey keyOf(Request request) {
        return new ResultCache.ResultKey(ContentHash.of(request.transcript().segments()),
                ResultCache.ANALYSIS_VERSION, delegate.name(), model, request.tenant());
    }
}
