package io.minutes.store.postgres;

import io.minutes.core.engine.InProcessStoreEvents;
import io.minutes.store.StoreException;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * A database that still answers reads but refuses writes, as a hot standby after a failover does, or
 * a managed PostgreSQL that turned {@code default_transaction_read_only} on when its disk filled up.
 */
class PostgresReadOnlyTest {

    @Test
    void checkWritableFailsOnAReadOnlyDatabaseWhoseReadsStillWork() {
        try (TestPostgres.Schema schema = TestPostgres.newSchema()) {
            PostgresDatabase.open(schema.url()).close(); // migrated while still writable
            // every session of this pool is read-only (URL options win over the pool's own)
            PostgresUrl readOnly = PostgresUrl.parse(schema.jdbcUrl() + "&options=-c%20default_transaction_read_only%3Don");
            try (PostgresDatabase database = PostgresDatabase.open(readOnly);
                 PostgresMeetingStore store = PostgresMeetingStore.on(database, new InProcessStoreEvents())) {
                assertThat(store.countsAll().counts().total()).as("reads work").isZero();
                assertThatThrownBy(store::checkWritable)
                        .isInstanceOf(StoreException.class)
                        .hasMessageContaining("checkWritable")
                        .hasMessageContaining("read-only transaction");
            }
        }
    }
}
