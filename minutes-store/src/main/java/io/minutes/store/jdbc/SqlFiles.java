package io.minutes.store.jdbc;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The queries of one backend, one per file: {@code sql/<dialect>/<name>.sql} on the classpath.
 * Each backend has files of the same names; each file is read and parsed once.
 */
public final class SqlFiles {
    private final String dialect;
    private final Map<String, NamedSql> loaded = new ConcurrentHashMap<>();

    public SqlFiles(String dialect) {
        this.dialect = dialect;
    }

    public NamedSql get(String name) {
        return loaded.computeIfAbsent(name, this::load);
    }

    private NamedSql load(String name) {
        String resource = "sql/" + dialect + "/" + name + ".sql";
        try (InputStream in = SqlFiles.class.getClassLoader().getResourceAsStream(resource)) {
            if (in == null) throw new IllegalArgumentException("no query " + resource + " on the classpath");
            return NamedSql.parse(name, new String(in.readAllBytes(), StandardCharsets.UTF_8));
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read " + resource, e);
        }
    }
}
