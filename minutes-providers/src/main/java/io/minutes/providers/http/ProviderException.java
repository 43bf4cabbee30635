package io.minutes.providers.http;

import io.minutes.core.domain.Failure;
import io.minutes.core.port.AnalyzerException;

import java.time.Duration;

/**
 * A provider call that failed, classified by {@link ErrorTable}. It is an {@link AnalyzerException}
 * whose {@link Failure} is TRANSIENT (with the provider's retry-after) for rate limits and transient
 * errors and PERMANENT otherwise; {@link #kind()} says more, e.g. that the context was too long.
 * {@code status} is the HTTP status, or 0 when no response arrived.
 */
public class ProviderException extends AnalyzerException {
    private final transient ErrorKind kind;
    private final int status;

    public ProviderException(ErrorKind kind, int status, String message, Duration retryAfter, Throwable cause) {
        super(new Failure(kind.failureKind(), message, retryAfter, kind == ErrorKind.RATE_LIMITED), cause);
        this.kind = kind;
        this.status = status;
    }

    public ProviderException(ErrorKind kind, int status, String message, Duration retryAfter) {
        this(kind, status, message, retryAfter, null);
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
