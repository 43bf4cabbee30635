package io.minutes.providers.http;

import io.minutes.core.domain.Failure;
import io.minutes.core.port.AnalyzerException;

import java.time.Duration;

/**
 * A provider call that failed, classified by {@link ErrorTable}. It is an {@link AnalyzerException}
 * whose {@link Failure} carries the cause (what the engine does about it: retry, charge, back off) and
 * the provider's retry-after; {@link #kind()} says what the adapter does about it, e.g. split a
 * transcript whose context was too long. {@code status} is the HTTP status, or 0 when no response arrived.
 */
public class ProviderException extends AnalyzerException {
    private final transient ErrorKind kind;
    private final int status;

    public ProviderException(ErrorKind kind, Failure.Cause cause, int status, String message, Duration retryAfter,
                             Throwable throwable) {
        super(new Failure(checked(kind, cause), message, retryAfter), throwable);
        this.kind = kind;
        this.status = status;
    }

    public ProviderException(ErrorKind kind, Failure.Cause cause, int status, String message, Duration retryAfter) {
        this(kind, cause, status, message, retryAfter, null);
    }

    private static Failure.Cause checked(ErrorKind kind, Failure.Cause cause) {
        if (kind.failureKind() != cause.kind()) {
            throw new IllegalArgumentException(kind + " is " + kind.failureKind() + " but " + cause + " is " + cause.kind());
        }
        return cause;
    }

    public ErrorKind kind() {
        return kind;
    }

    public int status() {
        return status;
    }

    public Duration retryAfter() {
        return failure().retryAfter();
    }
}
