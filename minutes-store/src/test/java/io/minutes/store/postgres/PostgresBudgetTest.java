package io.minutes.store.postgres;

import io.minutes.core.port.MeetingStore;
import io.minutes.store.BudgetContract;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;

/** Budgets on PostgreSQL, one schema of its own emptied before each test; the other node has its own pool. */
class PostgresBudgetTest extends BudgetContract {

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

    @Override
    protected MeetingStore otherNode() {
        return PostgresMeetingStore.open(schema.url());
    }
}
