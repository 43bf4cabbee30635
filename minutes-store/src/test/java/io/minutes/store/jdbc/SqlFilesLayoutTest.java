package io.minutes.store.jdbc;

import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.net.URISyntaxException;
import java.net.URL;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import java.util.stream.Stream;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Shared SQL lives once: a query is either in {@code sql/common} or in the dialect folders, and a
 * query kept per dialect really differs, so the dialect folders list exactly the divergences.
 */
class SqlFilesLayoutTest {

    private static final List<String> DIALECTS = List.of("sqlite", "postgres");

    @Test
    void noQueryIsBothSharedAndPerDialect() throws Exception {
        Set<String> common = queries(SqlFiles.COMMON);
        List<String> both = new ArrayList<>();
        for (String dialect : DIALECTS) {
            for (String name : queries("sql/" + dialect)) {
                if (common.contains(name)) both.add("sql/" + dialect + "/" + name + " is also in " + SqlFiles.COMMON);
            }
        }
        assertThat(both).isEmpty();
    }

    @Test
    void aQueryKeptPerDialectDiffersBetweenTheDialects() throws Exception {
        Set<String> inBoth = queries("sql/sqlite");
        inBoth.retainAll(queries("sql/postgres"));
        List<String> identical = new ArrayList<>();
        for (String name : inBoth) {
            if (Files.mismatch(folder("sql/sqlite").resolve(name), folder("sql/postgres").resolve(name)) == -1) {
                identical.add(name + " is the same in both dialects: move it to " + SqlFiles.COMMON);
            }
        }
        assertThat(inBoth).isNotEmpty();
        assertThat(identical).isEmpty();
    }

    @Test
    void aPerDialectQueryOpensWithACommentNamingTheDialectItIsWrittenFor() throws Exception {
        List<String> unexplained = new ArrayList<>();
        for (String dialect : DIALECTS) {
            for (String name : queries("sql/" + dialect)) {
                String header = leadingComment(folder("sql/" + dialect).resolve(name));
                if (!header.contains("SQLite") && !header.contains("PostgreSQL")) {
                    unexplained.add("sql/" + dialect + "/" + name);
                }
            }
        }
        assertThat(unexplained).as("per-dialect files whose opening comment does not say how they differ").isEmpty();
    }

    @Test
    void everyQueryOfEitherDialectLoadsFromItsFolderOrTheSharedOne() throws Exception {
        for (String dialect : DIALECTS) {
            SqlFiles files = new SqlFiles(dialect);
            Set<String> names = queries(SqlFiles.COMMON);
            names.addAll(queries("sql/" + dialect));
            for (String name : names) {
                assertThat(files.get(name.replaceFirst("\\.sql$", "")).jdbcSql()).as(dialect + " " + name).isNotBlank();
            }
        }
        assertThat(new SqlFiles("postgres").get("dedup_lock").jdbcSql()).contains("pg_advisory_xact_lock");
        assertThat(new SqlFiles("sqlite").get("dedup_lock").jdbcSql()).isEqualTo("SELECT 1");
    }

    private static String leadingComment(Path file) throws IOException {
        StringBuilder header = new StringBuilder();
        for (String line : Files.readAllLines(file)) {
            if (!line.startsWith("--")) break;
            header.append(line).append('\n');
        }
        return header.toString();
    }

    private static Set<String> queries(String resourceFolder) throws IOException, URISyntaxException {
        try (Stream<Path> files = Files.list(folder(resourceFolder))) {
            Set<String> names = new TreeSet<>();
            files.map(f -> f.getFileName().toString()).filter(n -> n.endsWith(".sql")).forEach(names::add);
            return names;
        }
    }

    private static Path folder(String resourceFolder) throws URISyntaxException {
        URL url = SqlFiles.class.getClassLoader().getResource(resourceFolder);
        assertThat(url).as(resourceFolder + " on the classpath").isNotNull();
        return Path.of(url.toURI());
    }
}
