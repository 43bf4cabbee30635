package io.minutes.core.privacy;

import io.minutes.core.port.Analyzer;
import io.minutes.core.port.AnalyzerException;

import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;

/**
 * Masks personal data in the transcript (see {@link Redactor}) before the analyzer it wraps sees it,
 * and records in the minutes what was masked. Sits outside the result cache, so the cache is keyed by
 * the redacted transcript: a redacted and an unredacted run never share an answer.
 */
public final class RedactingAnalyzer implements Analyzer {
    private final Analyzer delegate;
    private final Redactor redactor;

    public RedactingAnalyzer(Analyzer delegate) {
        this(delegate, new Redactor());
    }

    public RedactingAnalyzer(Analyzer delegate, Redactor redactor) {
        this.delegate = delegate;
        this.redactor = redactor;
    }

    @Override
    public String name() {
        return delegate.name();
    }

    @Override
    public boolean admitsEachCall() {
        return delegate.admitsEachCall();
    }

    /** Redacts once for the attempt: the request returned carries the redacted transcript and what was masked. */
    @Override
    public Request prepare(Request request) {
        Redactor.Redacted redacted = redactor.redact(request.transcript());
        Request prepared = delegate.prepare(request.withTranscript(redacted.transcript()));
        return prepared.withPrepared(prepared.prepared().withRedactions(countsByName(redacted)));
    }

    @Override
    public Result analyze(Request request) throws AnalyzerException {
        Map<String, Integer> counts;
        Request sent;
        if (request.prepared() != null && request.prepared().redactions() != null) {
            counts = request.prepared().redactions();
            sent = request;
        } else {
            Redactor.Redacted redacted = redactor.redact(request.transcript());
            counts = countsByName(redacted);
            sent = request.withTranscript(redacted.transcript());
        }
        Result result = delegate.analyze(sent);
        if (counts.isEmpty() || result.analysis() == null) return result;
        return result.withAnalysis(result.analysis().withRedactions(counts));
    }

    private static Map<String, Integer> countsByName(Redactor.Redacted redacted) {
        Map<String, Integer> counts = new LinkedHashMap<>();
        redacted.counts().forEach((kind, n) -> counts.put(kind.name().toLowerCase(Locale.ROOT), n));
        return counts;
    }

    /** The estimate of what is sent: the redacted transcript (which is also what the result cache is keyed by). */
    @Override
    public Estimate estimate(Request request) {
        return delegate.estimate(request.withTranscript(redactor.redact(request.transcript()).transcript()));
    }
}
