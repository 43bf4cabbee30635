package io.minutes.store.postgres;

import io.minutes.core.port.BlobStore;
import io.minutes.core.port.MeetingStore;
import io.minutes.store.RetentionContract;
import org.junit.jupiter.api.extension.RegisterExtension;

/** Retention on PostgreSQL, with recordings in the database (PostgresBlobStore), as every node reads them. */
class PostgresRetentionTest extends RetentionContract {

    @RegisterExtension
    static final TestPostgres.ClassSchema postgres = new TestPostgres.ClassSchema();

    @Override
    protected MeetingStore newStore() {
        return postgres.emptiedStore();
    }

    @Override
    protected BlobStore newBlobStore() {
        return new PostgresBlobStore(postgres.database());
    }
}
