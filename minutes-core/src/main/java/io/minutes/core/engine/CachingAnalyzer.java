package io.minutes.core.engine;

import io.minutes.core.domain.Analysis;
import io.minutes.core.domain.Usage;
import io.minutes.core.ingest.ContentHash;
import io.minutes.core.port.Analyzer;
import io.minutes.core.port.AnalyzerException;
import io.minutes.core.port.ResultCache;
import io.minutes.core.port.StoreUnavailableException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.time.Clock;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Answers from the {@link ResultCache} when the same transcript was analysed before by the same
 * provider, model and analysis version, at no cost; otherwise asks the analyzer it wraps and keeps
 * the answer. Wraps the throttled analyzer, so a cache hit takes no rate-limit tokens either.
 */
public final class CachingAnalyzer implements Analyzer {
    private static final Logger log = LoggerFactory.getLogger(CachingAnalyzer.class);
    private final Analyzer delegate;
    private final ResultCache cache;
    private final String model;
    private final Clock clock;
    private final Map<ResultCache.ResultKey, Analysis> unstored = new ConcurrentHashMap<>();

    private final StoreOutage outage;

    /** {@code outage} hears when the cache cannot be written (the dispatcher's, so that the user is told). */
    public CachingAnalyzer(Analyzer delegate, ResultCache cache, String model, Clock clock, StoreOutage outage) {
        this.delegate = delegate;
        this.cache = cache;
        this.model = model;
        this.clock = clock;
        this.outage = outage;
    }

    @Override
    public String name() {
        return delegate.name();
    }

    @Override
    public boolean admitsEachCall() {
        return delegate.admitsEachCall();
    }

    /**
     * A store that cannot be read now ({@link StoreUnavailableException}) stops the attempt before any
     * call: the answer may already be paid for. A store that cannot be written after the call never
     * costs the answer: it is kept here, served to this node's next ask, and written when the store is back.
     */
    @Override
    public Result analyze(Request request) throws AnalyzerException {
        ResultCache.ResultKey key;
        Optional<Analysis> cached;
        if (request.prepared() != null && request.prepared().cacheKey() != null) {
            key = request.prepared().cacheKey();
            cached = Optional.ofNullable(request.prepared().cachedAnswer());
        } else {
            key = keyOf(request);
            cached = find(key);
        }
        if (cached.isPresent()) return new Result(cached.get(), Usage.NONE);
        Result result = delegate.analyze(request);
        unstored.put(key, result.analysis());
        writeUnstored();
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

    /** Paid answers the store could not keep yet. */
    public int unstoredCount() {
        return unstored.size();
    }

    private Optional<Analysis> find(ResultCache.ResultKey key) {
        Analysis held = unstored.get(key);
        if (held != null) return Optional.of(held);
        writeUnstored();
        return cache.resultFind(key);
    }

    /** Writes the answers held back, oldest first; stops at the first the store refuses, to try again later. */
    private void writeUnstored() {
        for (Map.Entry<ResultCache.ResultKey, Analysis> entry : unstored.entrySet()) {
            java.time.Instant tried = clock.instant(); // an unreachable database answers only after a timeout
            try {
                cache.resultPut(entry.getKey(), entry.getValue(), tried);
                unstored.remove(entry.getKey(), entry.getValue());
            } catch (StoreUnavailableException e) {
                outage.failed(e, tried);
                log.debug("result cache: keeping {} answer(s) until the store can be written: {}", unstored.size(),
                        e.condition());
                return;
            } catch (RuntimeException e) {
                log.warn("result cache: could not keep an answer ({}); it is held in memory until the store takes it",
                        e.toString());
                return;
            }
        }
    }

    /**
     * Reads the cache once for the attempt: the request returned carries the key and the answer found, and
     * its estimate is marked cached when there is one (then analyzing it costs nothing).
     */
    @Override
    public Request prepare(Request request) {
        ResultCache.ResultKey key = keyOf(request);
        Analysis found = find(key).orElse(null);
        Request prepared = delegate.prepare(request);
        return prepared.withPrepared(prepared.prepared().lookedUp(key, found));
    }

    /** The provider's estimate, marked cached when the answer is here: then analyzing costs nothing. */
    @Override
    public Estimate estimate(Request request) {
        Estimate estimate = delegate.estimate(request);
        return find(keyOf(request)).isPresent() ? estimate.answeredFromCache() : estimate;
    }

    /**
     * The analysis version of the key carries the meeting's template (name and version) and language, so
     * changing a template, or the language asked for, analyses again only the meetings it changes.
     */
    static ResultCache.ResultKey keyOf(Request request, String provider, String model) {
        String version = request.style() == null ? ResultCache.ANALYSIS_VERSION
                : ResultCache.ANALYSIS_VERSION + ";" + request.style().cacheKeyPart();
        return new ResultCache.ResultKey(ContentHash.of(request.transcript().segments()), version, provider, model,
                request.tenant());
    }

    private ResultCache.ResultKey keyOf(Request request) {
        return keyOf(request, delegate.name(), model);
    }
}
