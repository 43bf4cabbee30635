package io.minutes.core.port;

import io.minutes.core.domain.Failure;

/** A provider call that did not produce an analysis, with how to treat it. */
public class AnalyzerException extends Exception {
    private final transient Failure failure;

    public AnalyzerException(Failure failure) {
        super(failure.message());
        this.failure = failure;
    }

    public AnalyzerException(Failure failure, Throwable cause) {
        super(failure.message(), cause);
        this.failure = failure;
    }

    public Failure failure() {
        return failure;
    }
}
