package io.minutes.core.trust;

import io.minutes.core.domain.Analysis;
import io.minutes.core.port.Analyzer;
import io.minutes.core.port.AnalyzerException;

/**
 * The checks every analyzer's answer passes, whichever analyzer gave it (a provider, the built-in one, the result
 * cache): owners resolved to participants, due dates resolved from the meeting's date, evidence checked against the
 * transcript as the analyzer saw it. Sits inside redaction (the quotes cite the redacted transcript) and outside the
 * result cache (a cached answer is checked again, so changing {@link UnsupportedItems} needs no new call).
 */
public final class CheckedAnalyzer implements Analyzer {
    private final Analyzer delegate;
    private final UnsupportedItems unsupported;

    public CheckedAnalyzer(Analyzer delegate, UnsupportedItems unsupported) {
        this.delegate = delegate;
        this.unsupported = unsupported;
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
    public Request prepare(Request request) {
        return delegate.prepare(request);
    }

    @Override
    public Estimate estimate(Request request) {
        return delegate.estimate(request);
    }

    @Override
    public Result analyze(Request request) throws AnalyzerException {
        Result result = delegate.analyze(request);
        if (result.analysis() == null) return result;
        return result.withAnalysis(check(result.analysis(), request));
    }

    /** The answer as the minutes keep it. */
    public Analysis check(Analysis answer, Request request) {
        Analysis owned = Owners.resolve(answer, request.transcript());
        Analysis dated = DueDates.resolve(owned, request.meetingDate());
        return EvidenceCheck.apply(dated, request.transcript(), unsupported);
    }
}
