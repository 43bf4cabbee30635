package io.minutes.store.postgres;

import io.minutes.core.port.MeetingStore;
import io.minutes.core.port.StoreEvents;
import io.minutes.store.MeetingStoreContract;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * The contract on PostgreSQL. The class migrates one schema of its own (dropped after); each test
 * starts from its emptied tables, which is much quicker than migrating a schema per test.
 */
class PostgresMeetingStoreTest extends MeetingStoreContract {

    @RegisterExtension
    static final TestPostgres.ClassSchema postgres = new TestPostgres.ClassSchema();

    @Override
    protected MeetingStore newStore(StoreEvents events) {
        return postgres.emptiedStore(events);
    }
}
