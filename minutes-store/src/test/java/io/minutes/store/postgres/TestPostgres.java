package io.minutes.store.postgres;

import io.minutes.core.engine.InProcessStoreEvents;
import io.minutes.core.port.StoreEvents;
import io.zonky.test.db.postgres.embedded.EmbeddedPostgres;
import org.junit.jupiter.api.extension.AfterAllCallback;
import org.junit.jupiter.api.extension.BeforeAllCallback;
import org.junit.jupiter.api.extension.ExtensionContext;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.Locale;
import java.util.UUID;

/**
 * A real PostgreSQL for tests: the server on 127.0.0.1:5432 (database {@code test}, user
 * {@code postgres}) when it answers, else an embedded one (io.zonky) started once per JVM. Each
 * test gets a schema of its own, dropped when it closes, so tests and test runs never see each
 * other's rows. {@code -Dminutes.test.postgres=embedded} skips the local server.
 */
public final class TestPostgres {
    private static final String LOCAL = "jdbc:postgresql://127.0.0.1:5432/test";
    private static String serverUrl;

    private TestPostgres() {
    }

    /** A fresh, empty schema; close it to drop it. */
    public static Schema newSchema() {
        return newSchema("minutes_t");
    }

    /** The same, its name starting with {@code prefix}: a test's schemas told apart from others' on a shared server. */
    public static Schema newSchema(String prefix) {
        String name = prefix + "_" + UUID.randomUUID().toString().replace("-", "").substring(0, 12).toLowerCase(Locale.ROOT);
        execute("CREATE SCHEMA " + name);
        return new Schema(name, server());
    }

    /** A schema of its own: its URL makes it the connection's current schema, where the store migrates. */
    public record Schema(String name, String serverUrl) implements AutoCloseable {
        /** A JDBC URL, as a user would pass to {@code --db}. */
        public String jdbcUrl() {
            return serverUrl + (serverUrl.contains("?") ? "&" : "?") + "currentSchema=" + name;
        }

        public PostgresUrl url() {
            return PostgresUrl.parse(jdbcUrl());
        }

        @Override
        public void close() {
            execute("DROP SCHEMA IF EXISTS " + name + " CASCADE");
        }
    }

    /**
     * One migrated schema for a whole test class, dropped after it: register it as a static
     * {@code @RegisterExtension} field and take {@link #emptiedStore()} in each test.
     */
    public static final class ClassSchema implements BeforeAllCallback, AfterAllCallback {
        private Schema schema;
        private PostgresDatabase database;

        @Override
        public void beforeAll(ExtensionContext context) {
            schema = newSchema();
            database = PostgresDatabase.open(schema.url());
        }

        @Override
        public void afterAll(ExtensionContext context) {
            database.close();
            schema.close();
        }

        public Schema schema() {
            return schema;
        }

        public PostgresDatabase database() {
            return database;
        }

        /** A store on the class's schema, every table emptied. */
        public PostgresMeetingStore emptiedStore() {
            return TestPostgres.emptiedStore(database, new InProcessStoreEvents());
        }

        /** The same, announcing the work it queues on {@code events}. */
        public PostgresMeetingStore emptiedStore(StoreEvents events) {
            return TestPostgres.emptiedStore(database, events);
        }
    }

    /**
     * A store on {@code database} with every table emptied (recordings in the blob tables too): a contract class migrates one schema and
     * starts each test from nothing, which is much faster than a schema per test.
     */
    public static PostgresMeetingStore emptiedStore(PostgresDatabase database, StoreEvents events) {
        try (java.sql.Connection c = database.dataSource().getConnection(); java.sql.Statement s = c.createStatement()) {
            s.execute("TRUNCATE attempts, meetings, submissions, batch_state_counts, batches, api_keys, results, blobs, blob_chunks, rate_windows, provider_batches");
            c.commit();
        } catch (java.sql.SQLException e) {
            throw new IllegalStateException("cannot empty the test schema", e);
        }
        return PostgresMeetingStore.on(database, events);
    }

    private static synchronized String server() {
        if (serverUrl == null) serverUrl = localAnswers() ? LOCAL + "?user=postgres" : startEmbedded();
        return serverUrl;
    }

    private static boolean localAnswers() {
        if ("embedded".equals(System.getProperty("minutes.test.postgres"))) return false;
        DriverManager.setLoginTimeout(3);
        try (Connection ignored = DriverManager.getConnection(LOCAL + "?user=postgres&connectTimeout=3")) {
            return true;
        } catch (SQLException e) {
            return false;
        }
    }

    private static String startEmbedded() {
        try {
            EmbeddedPostgres embedded = EmbeddedPostgres.builder().start();
            Runtime.getRuntime().addShutdownHook(new Thread(() -> {
                try {
                    embedded.close();
                } catch (IOException ignored) {
                    // the JVM is going away
                }
            }));
            return "jdbc:postgresql://127.0.0.1:" + embedded.getPort() + "/postgres?user=postgres";
        } catch (IOException e) {
            throw new UncheckedIOException("no PostgreSQL on 127.0.0.1:5432 and the embedded one did not start", e);
        }
    }

    private static void execute(String sql) {
        try (Connection c = DriverManager.getConnection(server()); Statement s = c.createStatement()) {
            s.execute(sql);
        } catch (SQLException e) {
            throw new IllegalStateException(sql + ": " + e.getMessage(), e);
        }
    }
}
