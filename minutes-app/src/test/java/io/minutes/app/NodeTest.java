package io.minutes.app;

import io.minutes.core.analysis.LocalAnalyzer;
import io.minutes.core.domain.Batch;
import io.minutes.core.domain.Segment;
import io.minutes.core.domain.Transcript;
import io.minutes.core.engine.EngineSettings;
import io.minutes.core.engine.InProcessStoreEvents;
import io.minutes.core.node.Node;
import io.minutes.core.node.ThrottleLink;
import io.minutes.core.port.Analyzer;
import io.minutes.core.port.MeetingStore;
import io.minutes.core.port.BatchStore.NewMeeting;
import io.minutes.store.blob.FolderBlobStore;
import io.minutes.store.TestBatches;
import io.minutes.store.sqlite.SqliteMeetingStore;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

/** The one engine assembly every entry point starts: what each node does whoever starts it. */
class NodeTest {
    /** Longer than any wait below: a meeting done sooner was looked for because work was announced. */
    private static final Duration IDLE_POLL = Duration.ofMinutes(5);

    @TempDir
    Path dir;
    private MeetingStore store;
    private InProcessStoreEvents events;

    @BeforeEach
    void open() {
        events = new InProcessStoreEvents();
        store = SqliteMeetingStore.open(dir.resolve("m.db"), events);
    }

    @AfterEach
    void close() {
        events.close();
        store.close();
    }

    private Node.Builder node(Clock clock) {
        return Node.builder(store, events, new LocalAnalyzer()).clock(clock)
                .engine(new EngineSettings(2, Duration.ofSeconds(30), IDLE_POLL))
                .blobs(new FolderBlobStore(dir.resolve("blobs")))
                .retention(Duration.ofHours(24), Duration.ofHours(1));
    }

    private Batch storeBatch() {
        Transcript t = new Transcript("txt", List.of(new Segment("Alice", 0.0, 60.0,
                "We decided to ship the release on Friday. Bob will write the notes by Monday.")));
        return store.batchCreate(TestBatches.batch("run-key", "local", Clock.systemUTC().instant(),
                List.of(NewMeeting.ready("a.txt", "a", "hash-a", t))));
    }

    private boolean finished(Batch batch) {
        return store.batchGet(batch.id()).map(b -> b.counts().isFinished()).orElse(false);
    }

    @Test
    void workAnnouncedWhileTheNodeIdlesIsTakenAtOnceNotAtTheNextPoll() {
        try (Node node = node(Clock.systemUTC()).build()) {
            node.start();
            Batch batch = storeBatch();
            events.workAdded();

            await().atMost(Duration.ofSeconds(60)).until(() -> finished(batch));
        }
    }

    @Test
    void everyNodePurgesExpiredBatchesWhenItStarts() {
        Batch batch = storeBatch();
        try (Node node = node(Clock.systemUTC()).build()) {
            node.start();
            node.wake();
            await().atMost(Duration.ofSeconds(60)).until(() -> finished(batch));
        }
        assertThat(store.batchGet(batch.id())).isPresent();

        // two days later, a node (a worker, say) starts: the batch finished more than retention (24 h) ago
        try (Node later = node(Clock.offset(Clock.systemUTC(), Duration.ofDays(2))).build()) {
            later.start();
            assertThat(store.batchGet(batch.id())).isEmpty();
        }
    }

    @Test
    void aProviderCallBeforeItsNodeAttachedTheThrottleIsAWiringBug() {
        ThrottleLink link = new ThrottleLink();

        assertThatThrownBy(() -> link.admit(Analyzer.Estimate.NONE))
                .isInstanceOf(IllegalStateException.class)
                .hasMessageContaining("before its node attached the throttle");
    }
}
