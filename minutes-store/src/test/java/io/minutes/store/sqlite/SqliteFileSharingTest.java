package io.minutes.store.sqlite;

import io.minutes.store.ReapFixtures;
import io.minutes.store.TestBatches;
import io.minutes.core.engine.InProcessStoreEvents;
import io.minutes.core.domain.Batch;
import io.minutes.core.domain.BatchCounts;
import io.minutes.core.domain.ClaimedMeeting;
import io.minutes.core.domain.Meeting;
import io.minutes.core.domain.MeetingState;
import io.minutes.core.domain.Segment;
import io.minutes.core.domain.Transcript;
import io.minutes.core.domain.Usage;
import io.minutes.core.port.BatchStore.BatchCreateParams;
import io.minutes.core.port.MeetingQueue.ClaimParams;
import io.minutes.core.port.MeetingQueue.FinishParams;
import io.minutes.core.port.MeetingQueue.Outcome;
import io.minutes.core.port.BatchStore.NewMeeting;
import io.minutes.core.domain.Analysis;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.stream.IntStream;

import static org.assertj.core.api.Assertions.assertThat;

/** What only a file-backed store must do: share one file between connections, and outlive the process. */
class SqliteFileSharingTest {

    private static final Instant T0 = Instant.parse("2025-03-01T09:00:00Z");
    private static final Duration LEASE = Duration.ofSeconds(30);

    @TempDir
    Path dir;

    private static List<NewMeeting> meetings(int count) {
        return IntStream.range(0, count)
                .mapToObj(i -> NewMeeting.ready("m" + i + ".txt", "m" + i, "h" + i,
                        new Transcript("txt", List.of(Segment.of("Ann", "point " + i)))))
                .toList();
    }

    @Test
    void twoStoresOnOneFileNeverClaimTheSameMeeting() throws Exception {
        Path file = dir.resolve("shared.db");
        List<SqliteMeetingStore> stores = List.of(SqliteMeetingStore.open(file, new InProcessStoreEvents()), SqliteMeetingStore.open(file, new InProcessStoreEvents()));
        try {
            stores.getFirst().batchCreate(TestBatches.batch("run", "sim", T0, meetings(300)));
            ConcurrentLinkedQueue<String> claimed = new ConcurrentLinkedQueue<>();
            CountDownLatch start = new CountDownLatch(1);
            List<Callable<Void>> claimers = new ArrayList<>();
            for (int c = 0; c < 8; c++) {
                SqliteMeetingStore store = stores.get(c % 2);
                String owner = "process-" + (c % 2) + "-thread-" + c;
                claimers.add(() -> {
                    start.await();
                    List<ClaimedMeeting> got;
                    while (!(got = store.meetingsClaim(new ClaimParams(owner, 5, T0, LEASE))).isEmpty()) {
                        got.forEach(m -> claimed.add(m.id()));
                    }
                    return null;
                });
            }
            try (ExecutorService pool = Executors.newFixedThreadPool(claimers.size())) {
                List<Future<Void>> done = claimers.stream().map(pool::submit).toList();
                start.countDown();
                for (Future<Void> f : done) f.get(60, TimeUnit.SECONDS);
            }

            assertThat(claimed).hasSize(300).doesNotHaveDuplicates();
            // which connection wins each round is up to SQLite's busy handler (not fair), so only the outcome is checked
            assertThat(stores.get(0).batchFindByRunKey("run").orElseThrow().counts().running()).isEqualTo(300);
        } finally {
            stores.forEach(SqliteMeetingStore::close);
        }
    }

    @Test
    void storesOpenedTogetherOnANewFileMigrateItOnce() throws Exception {
        Path file = dir.resolve("new/deeper/minutes.db");
        CountDownLatch start = new CountDownLatch(1);
        List<SqliteMeetingStore> stores = new ArrayList<>();
        try (ExecutorService pool = Executors.newFixedThreadPool(4)) {
            List<Future<SqliteMeetingStore>> opening = IntStream.range(0, 4)
                    .mapToObj(i -> pool.submit(() -> {
                        start.await();
                        return SqliteMeetingStore.open(file, new InProcessStoreEvents());
                    }))
                    .toList();
            start.countDown();
            for (Future<SqliteMeetingStore> f : opening) stores.add(f.get(60, TimeUnit.SECONDS));
        }
        try {
            Batch batch = stores.get(0).batchCreate(TestBatches.batch("run", "sim", T0, meetings(2)));
            assertThat(stores.get(3).batchGet(batch.id())).contains(batch);
        } finally {
            stores.forEach(SqliteMeetingStore::close);
        }
    }

    @Test
    void reopeningTheFileResumesWhereItStood() {
        Path file = dir.resolve("restart.db");
        String batchId;
        String completedId;
        try (SqliteMeetingStore before = SqliteMeetingStore.open(file, new InProcessStoreEvents())) {
            batchId = before.batchCreate(TestBatches.batch("run", "sim", T0, meetings(3))).id();
            List<ClaimedMeeting> claimed = before.meetingsClaim(new ClaimParams("old-process", 2, T0, LEASE));
            completedId = claimed.getFirst().id();
            before.meetingFinish(new FinishParams(completedId, "old-process", 1, Outcome.completed(new Analysis("m0", "sum", List.of(), List.of(), List.of(), List.of(), List.of()), new Usage(10, 2, 0.001)), T0.plusSeconds(1)));
            // the process dies here, holding the lease on the second meeting
        }

        try (SqliteMeetingStore after = SqliteMeetingStore.open(file, new InProcessStoreEvents())) {
            assertThat(after.batchFindByRunKey("run").orElseThrow().counts())
                    .isEqualTo(new BatchCounts(1, 1, 1, 0, 0, 0));
            assertThat(after.leaseOwners()).containsExactly("old-process");
            assertThat(after.meetingsReap(ReapFixtures.atOnceUpTo(T0.plusSeconds(2), "old-process", 3))).isEqualTo(1);

            List<ClaimedMeeting> resumed = after.meetingsClaim(new ClaimParams("new-process", 10, T0.plusSeconds(2), LEASE));
            assertThat(resumed).extracting(ClaimedMeeting::source).containsExactly("m1.txt", "m2.txt");
            assertThat(resumed.getFirst().attempt()).isEqualTo(2);
            Meeting done = after.meetingsList(batchId).getFirst();
            assertThat(done.id()).isEqualTo(completedId);
            assertThat(done.state()).isEqualTo(MeetingState.COMPLETED);
            assertThat(done.usage()).isEqualTo(new Usage(10, 2, 0.001));
        }
    }
}
