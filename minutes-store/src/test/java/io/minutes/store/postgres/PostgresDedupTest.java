package io.minutes.store.postgres;

import io.minutes.core.port.MeetingStore;
import io.minutes.store.DedupContract;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;

import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Statement;

/** Deduplication and the result cache on PostgreSQL, one schema of its own emptied before each test. */
class PostgresDedupTest extends DedupContract {

    private static TestPostgres.Schema schema;
    private static PostgresDatabase database;

    @BeforeAll
    static void migrate() {
        schema = TestPostgres.newSchema();
        database = PostgresDatabase.open(schema.url());
    }

    @AfterAll
    static void drop() {
        database.close();
        schema.close();
    }

    @Override
    protected MeetingStore newStore() {
        try (Connection c = database.dataSource().getConnection(); Statement s = c.createStatement()) {
            s.execute("TRUNCATE attempts, meetings, submissions, batches, api_keys, results");
            c.commit();
        } catch (SQLException e) {
            throw new IllegalStateException("cannot empty the test schema " + schema.name(), e);
        }
        return PostgresMeetingStore.on(database);
    }
}
