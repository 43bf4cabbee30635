package io.minutes.store.jdbc;

import io.minutes.core.domain.Failure;

import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Duration;
import java.time.Instant;

/** Reading nullable columns the way the store writes them. */
public final class Rows {
    private Rows() {
    }

    public static Instant instant(ResultSet rs, String column) throws SQLException {
        long millis = rs.getLong(column);
        return rs.wasNull() ? null : Instant.ofEpochMilli(millis);
    }

    public static Long nullableLong(ResultSet rs, String column) throws SQLException {
        long value = rs.getLong(column);
        return rs.wasNull() ? null : value;
    }

    public static Integer nullableInt(ResultSet rs, String column) throws SQLException {
        int value = rs.getInt(column);
        return rs.wasNull() ? null : value;
    }

    public static Double nullableDouble(ResultSet rs, String column) throws SQLException {
        double value = rs.getDouble(column);
        return rs.wasNull() ? null : value;
    }

    /** The failure in failure_kind / failure_message / failure_retry_after_ms, or null. */
    public static Failure failure(ResultSet rs) throws SQLException {
        String kind = rs.getString("failure_kind");
        if (kind == null) return null;
        Long retryAfterMillis = nullableLong(rs, "failure_retry_after_ms");
        return new Failure(Failure.Kind.fromWire(kind), rs.getString("failure_message"),
                retryAfterMillis == null ? null : Duration.ofMillis(retryAfterMillis));
    }
}
