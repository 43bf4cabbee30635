package io.minutes.store.postgres;

import io.minutes.core.engine.InProcessStoreEvents;
import io.minutes.core.port.MeetingStore;
import io.minutes.store.ProviderBatchStoreContract;
import org.junit.jupiter.api.extension.RegisterExtension;

/** The batch lane's store on PostgreSQL; the other node has its own pool, so two nodes pack through the advisory lock. */
class PostgresProviderBatchStoreTest extends ProviderBatchStoreContract {

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
