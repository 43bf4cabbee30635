package io.minutes.store.postgres;

import io.minutes.core.port.MeetingStore;
import io.minutes.store.MeetingStoreContract;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;

import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Statement;

/**
 * The contract on PostgreSQL. The class migrates one schema of its own (dropped after); each test
 * starts from its emptied tables, which is much quicker than migrating a schema per test.
 */
class PostgresMeetingStoreTest extends MeetingStoreContract {

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
            s.execute("TRUNCATE attempts, meetings, submissions, batches, api_keys");
            c.commit();
        } catch (SQLException e) {
            throw new IllegalStateException("cannot empty the test schema " + schema.name(), e);
        }
        return PostgresMeetingStore.on(database);
    }
}
