package io.minutes.providers.http;

import io.minutes.core.domain.Failure;

/** What a failed provider call means for the caller; {@link ErrorTable} decides which. */
public enum ErrorKind {
    /** 429: the provider wants fewer calls; retry after its delay, and pause the provider. */
    RATE_LIMITED(Failure.Kind.TRANSIENT),
    /** 408, 409, 5xx, 529, timeouts, connection resets: the same call may well work later. */
    TRANSIENT(Failure.Kind.TRANSIENT),
    /** The prompt is longer than the model's context: send it in smaller pieces. */
    CONTEXT_LENGTH(Failure.Kind.PERMANENT),
    /** 401/403: the key is missing, wrong or lacks access; every later call would fail too. */
    AUTHENTICATION(Failure.Kind.PERMANENT),
    /** Content filter and every other 4xx: the same call will fail the same way. */
    PERMANENT(Failure.Kind.PERMANENT);

    private final Failure.Kind failureKind;

    ErrorKind(Failure.Kind failureKind) {
        this.failureKind = failureKind;
    }

    public Failure.Kind failureKind() {
        return failureKind;
    }
}
