package io.minutes.store.jdbc;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The queries of one backend, one per file on the classpath: {@code sql/<dialect>/<name>.sql} where
 * the backend's SQL differs (each such file says how and why at its top), otherwise the shared
 * {@code sql/common/<name>.sql}. A query is never in both places (SqlFilesLayoutTest). Each file is
 * read and parsed once.
 */
public final class SqlFiles {
    /** The folder of the queries every backend runs as they are. */
    public static final String COMMON = "sql/common";

    private final String dialect;
    private final Map<String, NamedSql> loaded = new ConcurrentHashMap<>();

    public SqlFiles(String dialect) {
        this.dialect = dialect;
    }

    public NamedSql get(String name) {
        return loaded.computeIfAbsent(name, this::load);
    }

    private NamedSql load(String name) {
        String own = "sql/" + dialect + "/" + name + ".sql";
        String shared = COMMON + "/" + name + ".sql";
        NamedSql sql = read(name, own);
        if (sql == null) sql = read(name, shared);
        if (sql == null) throw new IllegalArgumentException("no query " + own + " or " + shared + " on the classpath");
        return sql;
    }

    private static NamedSql read(String name, String resource) {
        try (InputStream in = SqlFiles.class.getClassLoader().getResourceAsStream(resource)) {
            if (in == null) return null;
            return NamedSql.parse(name, new String(in.readAllBytes(), StandardCharsets.UTF_8));
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read " + resource, e);
        }
    }
}
