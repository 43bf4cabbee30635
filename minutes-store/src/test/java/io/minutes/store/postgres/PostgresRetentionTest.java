package io.minutes.store.postgres;

import io.minutes.core.port.BlobStore;
import io.minutes.core.port.MeetingStore;
import io.minutes.store.RetentionContract;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;

/** Retention on PostgreSQL, with recordings in the database (PostgresBlobStore), as every node reads them. */
class PostgresRetentionTest extends RetentionContract {

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
    protected BlobStore newBlobStore() {
        return new PostgresBlobStore(database);
    }
}
