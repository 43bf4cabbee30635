package io.minutes.store.jdbc;

import io.minutes.core.domain.Failure;

import java.util.HashMap;
import java.util.Map;

/** Named parameter values for one query; values may be null. Instants are bound as epoch millis. */
public final class SqlParams {
    private final Map<String, Object> values = new HashMap<>();

    public static SqlParams none() {
        return new SqlParams();
    }

    public static SqlParams of(String name, Object value) {
        return new SqlParams().set(name, value);
    }

    public SqlParams set(String name, Object value) {
        values.put(name, value);
        return this;
    }

    /** Sets failure_kind, failure_message and failure_retry_after_ms (all null when failure is null). */
    public SqlParams failure(Failure failure) {
        set("failure_kind", failure == null ? null : failure.kind().wireName());
        set("failure_message", failure == null ? null : failure.message());
        return set("failure_retry_after_ms",
                failure == null || failure.retryAfter() == null ? null : failure.retryAfter().toMillis());
    }

    Object get(String queryName, String name) {
        if (!values.containsKey(name)) {
            throw new IllegalArgumentException(queryName + ": no value for parameter :" + name);
        }
        return values.get(name);
    }
}
