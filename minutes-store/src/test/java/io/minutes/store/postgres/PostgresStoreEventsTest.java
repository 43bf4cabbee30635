package io.minutes.store.postgres;

import io.minutes.core.domain.BatchCounts;
import io.minutes.core.domain.Failure;
import io.minutes.core.domain.MeetingState;
import io.minutes.core.domain.ProgressEvent;
import io.minutes.core.port.StoreEvents;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.atomic.AtomicInteger;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/** Two nodes (two connection pools) on one database hear each other's work and progress. */
class PostgresStoreEventsTest {

    private TestPostgres.Schema schema;
    private PostgresDatabase nodeA;
    private PostgresDatabase nodeB;
    private PostgresStoreEvents eventsA;
    private PostgresStoreEvents eventsB;

    @BeforeEach
    void twoNodes() {
        schema = TestPostgres.newSchema();
        nodeA = PostgresDatabase.open(schema.url(), 2);
        nodeB = PostgresDatabase.open(schema.url(), 2);
        eventsA = new PostgresStoreEvents(nodeA);
        eventsB = new PostgresStoreEvents(nodeB);
    }

    @AfterEach
    void close() {
        eventsA.close();
        eventsB.close();
        nodeA.close();
        nodeB.close();
        schema.close();
    }

    private static ProgressEvent event(int index, Failure failure) {
        return new ProgressEvent("batch_1", "mtg_" + index, index, "Weekly sync " + index,
                failure == null ? MeetingState.COMPLETED : MeetingState.QUEUED, 2, failure,
                new BatchCounts(3, 2, index, 1, 0, 0));
    }

    @Test
    void progressPublishedOnOneNodeReachesTheListenersOfEveryNode() {
        ConcurrentLinkedQueue<ProgressEvent> heardByB = new ConcurrentLinkedQueue<>();
        ConcurrentLinkedQueue<ProgressEvent> heardByA = new ConcurrentLinkedQueue<>();
        eventsB.subscribe(new StoreEvents.Listener() {
            @Override
            public void progress(ProgressEvent event) {
                heardByB.add(event);
            }
        });
        eventsA.subscribe(new StoreEvents.Listener() {
            @Override
            public void progress(ProgressEvent event) {
                heardByA.add(event);
            }
        });
        List<ProgressEvent> sent = List.of(event(1, null),
                event(2, new Failure(Failure.Kind.TRANSIENT, "429 slow down", Duration.ofSeconds(7))));
        awaitListening();

        sent.forEach(eventsA::publish);

        await().atMost(Duration.ofSeconds(10)).untilAsserted(() -> assertThat(heardByB).containsExactlyElementsOf(sent));
        await().atMost(Duration.ofSeconds(10)).untilAsserted(() -> assertThat(heardByA).containsExactlyElementsOf(sent));
    }

    @Test
    void workAddedOnOneNodeWakesTheOthers() {
        AtomicInteger wakeups = new AtomicInteger();
        eventsB.subscribe(new StoreEvents.Listener() {
            @Override
            public void workAdded() {
                wakeups.incrementAndGet();
            }
        });
        awaitListening();
        int before = wakeups.get();

        eventsA.workAdded();

        await().atMost(Duration.ofSeconds(10)).until(() -> wakeups.get() > before);
    }

    @Test
    void aHugeFailureMessageIsCutToFitANotification() {
        String huge = "\u0001".repeat(20_000);
        ProgressEvent event = event(3, Failure.permanent(huge));

        String payload = ProgressEventCodec.encode(event);

        assertThat(payload.getBytes(StandardCharsets.UTF_8).length).isLessThanOrEqualTo(ProgressEventCodec.MAX_PAYLOAD_BYTES);
        ProgressEvent decoded = ProgressEventCodec.decode(payload);
        assertThat(decoded.failure().message()).startsWith("\u0001").endsWith("…");
        assertThat(decoded.counts()).isEqualTo(event.counts());
    }

    /** The provider's counts for a provider batch travel between nodes too (SSE on another node tells them). */
    @Test
    void aProviderBatchsCountsSurviveTheNotifyPayload() {
        ProgressEvent event = ProgressEvent.ofProviderBatch("batch_1",
                new io.minutes.core.domain.ProviderBatchProgress("batch_abc", "finalizing", 999, 1000),
                new io.minutes.core.domain.BatchCounts(0, 0, 1, 0, 0, 0, 999));

        ProgressEvent decoded = ProgressEventCodec.decode(ProgressEventCodec.encode(event));

        assertThat(decoded).isEqualTo(event);
        assertThat(decoded.meetingId()).isNull();
        assertThat(ProgressEventCodec.decode(ProgressEventCodec.encode(event(3, null))).providerBatch()).isNull();
    }

    /** A subscriber hears "work" once its LISTEN is in place; until then nothing sent could reach it. */
    private void awaitListening() {
        AtomicInteger readyA = new AtomicInteger();
        AtomicInteger readyB = new AtomicInteger();
        StoreEvents.Subscription a = eventsA.subscribe(new StoreEvents.Listener() {
            @Override
            public void workAdded() {
                readyA.incrementAndGet();
            }
        });
        StoreEvents.Subscription b = eventsB.subscribe(new StoreEvents.Listener() {
            @Override
            public void workAdded() {
                readyB.incrementAndGet();
            }
        });
        await().atMost(Duration.ofSeconds(10)).until(() -> {
            eventsA.workAdded();
            return readyA.get() > 0 && readyB.get() > 0;
        });
        a.close();
        b.close();
    }
}
