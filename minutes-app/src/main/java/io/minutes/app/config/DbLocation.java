package io.minutes.app.config;

import io.minutes.store.postgres.PostgresUrl;

import java.nio.file.Path;

/** The {@code db} setting: a SQLite file for one machine, or a PostgreSQL database many nodes share. */
public sealed interface DbLocation {

    record SqliteFile(Path file) implements DbLocation {
        @Override
        public String toString() {
            return file.toString();
        }
    }

    record Postgres(PostgresUrl url) implements DbLocation {
        @Override
        public String toString() {
            return url.toString();
        }
    }

    static DbLocation parse(String raw) {
        if (PostgresUrl.looksLikePostgres(raw)) return new Postgres(PostgresUrl.parse(raw));
        if (raw.contains("://") || raw.regionMatches(true, 0, "jdbc:", 0, 5)) {
            throw new IllegalArgumentException("only PostgreSQL URLs (postgresql://user@host:port/db or jdbc:postgresql://...)"
                    + " or a SQLite file path are understood, got '" + raw + "'");
        }
        return new SqliteFile(Path.of(raw));
    }
}
