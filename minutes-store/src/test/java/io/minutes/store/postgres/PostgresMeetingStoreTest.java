package io.minutes.store.postgres;

import io.minutes.core.port.MeetingStore;
import io.minutes.store.MeetingStoreContract;
import org.junit.jupiter.api.AfterEach;

class PostgresMeetingStoreTest extends MeetingStoreContract {

    private TestPostgres.Schema schema;

    @Override
    protected MeetingStore newStore() {
        schema = TestPostgres.newSchema();
        return PostgresMeetingStore.open(schema.url());
    }

    @AfterEach
    void dropSchema() {
        // runs before the contract closes the store: its pooled connections are idle, holding no lock
        schema.close();
    }
}
