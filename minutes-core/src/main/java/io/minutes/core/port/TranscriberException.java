package io.minutes.core.port;

import io.minutes.core.domain.Failure;

/** A transcription that did not produce a transcript, with how to treat it (retry or not). */
public class TranscriberException extends Exception {
    private final transient Failure failure;

    public TranscriberException(Failure failure) {
        super(failure.message());
        this.failure = failure;
    }

    public TranscriberException(Failure failure, Throwable cause) {
        super(failure.message(), cause);
        this.failure = failure;
    }

    public Failure failure() {
        return failure;
    }
}
