package io.minutes.store.postgres;

import io.minutes.core.port.MeetingStore;
import io.minutes.store.MeetingStoreContract;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;


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
        return TestPostgres.emptiedStore(database);
    }
}
