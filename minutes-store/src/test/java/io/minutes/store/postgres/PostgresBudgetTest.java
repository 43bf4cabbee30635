package io.minutes.store.postgres;

import io.minutes.core.engine.InProcessStoreEvents;
import io.minutes.core.port.MeetingStore;
import io.minutes.store.BudgetContract;
import org.junit.jupiter.api.extension.RegisterExtension;

/** Budgets on PostgreSQL, one schema of its own emptied before each test; the other node has its own pool. */
class PostgresBudgetTest extends BudgetContract {

    @RegisterExtension
    static final TestPostgres.ClassSchema postgres = new TestPostgres.ClassSchema();

    @Override
    protected MeetingStore newStore() {
        return postgres.emptiedStore();
    }

    @Override
    protected MeetingStore otherNode() {
        return PostgresMeetingStore.open(postgres.schema().url(), new InProcessStoreEvents());
    }
}
