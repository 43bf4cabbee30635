package io.minutes.store.postgres;

import io.minutes.core.port.MeetingStore;
import io.minutes.store.DedupContract;
import org.junit.jupiter.api.extension.RegisterExtension;

/** Deduplication and the result cache on PostgreSQL, one schema of its own emptied before each test. */
class PostgresDedupTest extends DedupContract {

    @RegisterExtension
    static final TestPostgres.ClassSchema postgres = new TestPostgres.ClassSchema();

    @Override
    protected MeetingStore newStore() {
        return postgres.emptiedStore();
    }
}
