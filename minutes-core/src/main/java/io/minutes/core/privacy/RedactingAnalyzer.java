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
    private final Redactor redactor = new Redactor();

    public RedactingAnalyzer(Analyzer delegate) {
        this.delegate = delegate;
    }

    @Override
    public String name() {
        return delegate.name();
    }

    @Override
    public boolean admitsEachCall() {
        return delegate.admitsEachCall();
    }

    @Override
    public Result analyze(Request request) throws AnalyzerException {
        Redactor.Redacted redacted = redactor.redact(request.transcript());
        Result result = delegate.analyze(request.withTranscript(redacted.transcript()));
        if (redacted.counts().isEmpty() || result.analysis() == null) return result;
        Map<String, Integer> counts = new LinkedHashMap<>();
        redacted.counts().forEach((kind, n) -> counts.put(kind.name().toLowerCase(Locale.ROOT), n));
        return new Result(result.analysis().withRedactions(counts), result.usage());
    }

    /** The estimate of what is sent: the redacted transcript (which is also what the result cache is keyed by). */
    @Override
    public Estimate estimate(Request request) {
        return delegate.estimate(request.withTranscript(redactor.redact(request.transcript()).transcript()));
    }
}
