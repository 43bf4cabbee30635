package io.minutes.store;

import io.minutes.core.testing.ManualClock;
import io.minutes.core.domain.Analysis;
import io.minutes.core.domain.Batch;
import io.minutes.core.domain.ClaimedMeeting;
import io.minutes.core.domain.Segment;
import io.minutes.core.domain.Transcript;
import io.minutes.core.domain.Usage;
import io.minutes.core.engine.Retention;
import io.minutes.core.port.MeetingStore;
import io.minutes.core.port.MeetingQueue.FinishParams;
import io.minutes.core.port.MeetingQueue.Outcome;
import io.minutes.core.port.BatchStore.BatchCreateParams;
import io.minutes.core.port.MeetingQueue.ClaimParams;
import io.minutes.core.port.BatchStore.NewMeeting;
import io.minutes.core.port.BatchStore;
import io.minutes.core.port.BlobStore;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.io.ByteArrayInputStream;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Must show: retention purges finished batches, their meetings and recordings, driven by a fake clock,
 * on every store with the blob store that comes with it (a folder beside SQLite; the database's own on
 * PostgreSQL).
 */
public abstract class RetentionContract {
    private static final Instant T0 = Instant.parse("2025-03-01T09:00:00Z");

    protected MeetingStore store;

    /** Judges every move the test's stores make against MeetingState's table. */
    protected final AllowedMovesWatch moves = new AllowedMovesWatch();
    protected BlobStore blobs;

    /** A fresh, empty store. */
    protected abstract MeetingStore newStore();

    /** An empty blob store of the backend {@link #newStore} opened. */
    protected abstract BlobStore newBlobStore();

    @BeforeEach
    void open() {
        store = moves.watch(newStore());
        blobs = newBlobStore();
    }

    @AfterEach
    void closeStore() {
        store.close();
        moves.assertOnlyAllowedMoves();
    }

    private static NewMeeting text(String name) {
        return NewMeeting.ready(name + ".txt", name, "h-" + name, new Transcript("txt", List.of(Segment.of("A", "said " + name))));
    }

    private static void completeAll(MeetingStore store, Instant now) {
        for (ClaimedMeeting c : store.meetingsClaim(new ClaimParams("n", 100, now, Duration.ofMinutes(1)))) {
            store.meetingFinish(new FinishParams(c.id(), "n", c.attempt(), Outcome.completed(new Analysis("t", "s", List.of(), List.of(), List.of(), List.of(), List.of()), Usage.NONE), now));
        }
    }

    @Test
    void purgesBatchesFinishedLongerAgoThanTheRetentionWithTheirRecordingsButNeverRunningOnes() throws Exception {
        ManualClock clock = new ManualClock(T0);
        String shared = blobs.put(new ByteArrayInputStream("shared recording".getBytes(StandardCharsets.UTF_8)));
        String own = blobs.put(new ByteArrayInputStream("own recording".getBytes(StandardCharsets.UTF_8)));
        Retention retention = new Retention(store, blobs, Duration.ofHours(24), clock);
        Batch old = store.batchCreate(TestBatches.batch(null, "sim", T0, List.of(text("a"),
                NewMeeting.audio("own.mp3", "own", own, own, "audio/mpeg"),
                NewMeeting.audio("shared.mp3", "shared", shared, shared, "audio/mpeg"))));
        for (ClaimedMeeting c : store.meetingsClaim(new ClaimParams("n", 100, T0, Duration.ofMinutes(1)))) {
            store.meetingFinish(new MeetingStore.FinishParams(c.id(), "n", c.attempt(), Outcome.skipped("done for the test"), T0));
        }
        Batch later = store.batchCreate(TestBatches.batch(null, "sim", T0.plus(Duration.ofHours(20)), List.of(text("b"),
                NewMeeting.audio("shared-again.mp3", "shared", shared, shared, "audio/mpeg"))));
        completeAll(store, T0.plus(Duration.ofHours(20)));
        Batch running = store.batchCreate(TestBatches.batch(null, "sim", T0.plus(Duration.ofHours(1)), List.of(text("c"))));

        clock.set(T0.plus(Duration.ofHours(23)));
        assertThat(retention.purgeExpired().batches()).as("nothing is 24 h old yet").isZero();

        clock.set(T0.plus(Duration.ofHours(25)));
        BatchStore.Purged purged = retention.purgeExpired();

        assertThat(purged.batches()).isEqualTo(1);
        assertThat(store.batchGet(old.id())).isEmpty();
        assertThat(store.meetingsList(old.id())).isEmpty();
        assertThat(blobs.size(own)).as("only the purged batch used it").isEmpty();
        assertThat(blobs.size(shared)).as("a kept batch still uses it").isPresent();
        assertThat(store.batchGet(later.id())).isPresent();
        assertThat(store.batchGet(running.id())).isPresent();

        clock.set(T0.plus(Duration.ofDays(30)));
        retention.purgeExpired();
        assertThat(store.batchGet(later.id())).isEmpty();
        assertThat(blobs.size(shared)).isEmpty();
        assertThat(store.batchGet(running.id())).as("a batch with queued meetings is never purged").isPresent();
    }

    @Test
    void zeroKeepsForever() {
        ManualClock clock = new ManualClock(T0);
        Batch batch = store.batchCreate(TestBatches.batch(null, "sim", T0, List.of(text("a"))));
        completeAll(store, T0);
        clock.set(T0.plus(Duration.ofDays(3650)));
        assertThat(new Retention(store, blobs, Duration.ZERO, clock).purgeExpired().batches()).isZero();
        assertThat(store.batchGet(batch.id())).isPresent();
    }
}
