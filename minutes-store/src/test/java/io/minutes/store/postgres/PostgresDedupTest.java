package io.minutes.store.postgres;

import io.minutes.core.port.MeetingStore;
import io.minutes.store.DedupContract;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;


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
        return TestPostgres.emptiedStore(database);
    }
}
