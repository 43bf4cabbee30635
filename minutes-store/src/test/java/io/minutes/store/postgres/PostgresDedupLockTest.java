package io.minutes.store.postgres;

import io.minutes.store.TestBatches;
import io.minutes.core.engine.InProcessStoreEvents;
import io.minutes.core.domain.Batch;
import io.minutes.core.domain.OnDuplicate;
import io.minutes.core.domain.Priority;
import io.minutes.core.domain.Segment;
import io.minutes.core.domain.Tier;
import io.minutes.core.domain.Transcript;
import io.minutes.core.port.BatchStore.BatchCreateParams;
import io.minutes.core.port.BatchStore.NewMeeting;
import io.minutes.store.jdbc.SqlFiles;
import org.junit.jupiter.api.Test;

import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.sql.Types;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * The lock a deduplicated batch holds while its meetings are stored is the tenant's in one schema, not
 * the tenant's on the whole server: advisory locks are shared by every schema of a database, and a
 * 100,000-meeting batch stored in one schema held up for minutes the same tenant's batches in every other.
 */
class PostgresDedupLockTest {
    private static final Duration GENEROUS = Duration.ofSeconds(30);

    @Test
    void aDeduplicatingBatchInOneSchemaDoesNotHoldUpTheSameTenantsBatchInAnother() throws Exception {
        try (TestPostgres.Schema held = TestPostgres.newSchema();
             TestPostgres.Schema other = TestPostgres.newSchema();
             PostgresMeetingStore heldStore = PostgresMeetingStore.open(held.url(), new InProcessStoreEvents());
             PostgresMeetingStore otherStore = PostgresMeetingStore.open(other.url(), new InProcessStoreEvents());
             Connection holder = DriverManager.getConnection(held.jdbcUrl())) {
            // a batch of the CLI's (no tenant) being stored in the first schema holds its lock until it commits
            holder.setAutoCommit(false);
            try (PreparedStatement lock = holder.prepareStatement(new SqlFiles("postgres").get("dedup_lock").jdbcSql())) {
                lock.setNull(1, Types.NULL);
                lock.execute();
            }

            CompletableFuture<Batch> inOther = CompletableFuture.supplyAsync(() -> otherStore.batchCreate(skipping("b.txt")));
            assertThat(inOther.get(GENEROUS.toSeconds(), TimeUnit.SECONDS).counts().queued()).isEqualTo(1);

            // the lock held is the one a batch of the first schema takes: that one waits for it
            CompletableFuture<Batch> inHeld = CompletableFuture.supplyAsync(() -> heldStore.batchCreate(skipping("a.txt")));
            await().atMost(GENEROUS).until(() -> waitingForAnAdvisoryLock(holder));
            assertThat(inHeld).isNotDone();
            holder.rollback();
            assertThat(inHeld.get(GENEROUS.toSeconds(), TimeUnit.SECONDS).counts().queued()).isEqualTo(1);
        }
    }

    private static BatchCreateParams skipping(String source) {
        NewMeeting meeting = NewMeeting.ready(source, source, "hash-of-" + source,
                new Transcript("txt", List.of(Segment.of("Ann", "said in " + source))));
        return TestBatches.batch(null, "sim", Instant.now(), List.of(meeting), Priority.NORMAL, OnDuplicate.SKIP, Tier.ORDINARY);
    }

    private static boolean waitingForAnAdvisoryLock(Connection holder) throws SQLException {
        try (Statement s = holder.createStatement();
             ResultSet rs = s.executeQuery("SELECT COUNT(*) FROM pg_locks WHERE locktype = 'advisory' AND NOT granted"
                     + " AND pid <> pg_backend_pid()"
                     + " AND objid IN (SELECT objid FROM pg_locks WHERE locktype = 'advisory' AND granted AND pid = pg_backend_pid())")) {
            rs.next();
            return rs.getInt(1) > 0;
        }
    }
}
