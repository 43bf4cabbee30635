package io.minutes.app;

import io.minutes.core.analysis.LocalAnalyzer;
import io.minutes.core.domain.Batch;
import io.minutes.core.domain.OnDuplicate;
import io.minutes.core.domain.Priority;
import io.minutes.core.domain.Segment;
import io.minutes.core.domain.Submission;
import io.minutes.core.domain.Tier;
import io.minutes.core.domain.Transcript;
import io.minutes.core.engine.Estimator;
import io.minutes.core.engine.RateLimits;
import io.minutes.core.port.Analyzer;
import io.minutes.core.port.AnalyzerException;
import io.minutes.core.port.MeetingStore;
import io.minutes.core.port.BatchStore.NewMeeting;
import io.minutes.core.submission.Submissions;
import io.minutes.core.engine.InProcessStoreEvents;
import io.minutes.core.port.StoreEvents;
import io.minutes.store.sqlite.SqliteMeetingStore;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.time.Clock;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;

import static org.assertj.core.api.Assertions.assertThat;

/** The one way a batch is submitted (run and HTTP): what it refuses stores nothing and announces nothing. */
class SubmissionsTest {
    /** Each meeting sent is estimated at up to this. */
    private static final double MAX_COST_PER_MEETING = 0.10;

    @TempDir
    Path dir;
    private MeetingStore store;
    private final AtomicInteger announced = new AtomicInteger();

    @BeforeEach
    void open() {
        InProcessStoreEvents events = new InProcessStoreEvents();
        events.subscribe(new StoreEvents.Listener() {
            @Override
            public void workAdded() {
                announced.incrementAndGet();
            }
        });
        store = SqliteMeetingStore.open(dir.resolve("m.db"), events);
    }

    @AfterEach
    void close() {
        store.close();
    }

    private Submissions submissions(int maxQueued) {
        Analyzer priced = new Analyzer() {
            @Override
            public String name() {
                return "priced";
            }

            @Override
            public Result analyze(Request request) throws AnalyzerException {
                return new LocalAnalyzer().analyze(request);
            }

            @Override
            public Estimate estimate(Request request) {
                return new Estimate(1000, 500, MAX_COST_PER_MEETING);
            }
        };
        return new Submissions(store, store, new Estimator(priced, null, null), maxQueued, Clock.systemUTC());
    }

    private static Submissions.NewBatch batchOf(int meetings, Double budgetUsd, boolean allowOverBudget) {
        List<NewMeeting> list = new ArrayList<>();
        for (int i = 0; i < meetings; i++) {
            list.add(NewMeeting.ready("m" + i + ".txt", "meeting " + i, "hash" + i,
                    new Transcript("txt", List.of(new Segment("Alice", 0.0, 1.0, "We agreed on item " + i + " for Friday.")))));
        }
        var submission = new Submission(null, OnDuplicate.SKIP, "normal", null, budgetUsd, allowOverBudget);
        var params = new MeetingStore.BatchCreateParams(null, "priced", Clock.systemUTC().instant(), list, Priority.NORMAL,
                OnDuplicate.SKIP, Tier.ORDINARY, budgetUsd, "priced", submission, Collections.nCopies(meetings, Tier.ORDINARY));
        return new Submissions.NewBatch(params, RateLimits.NONE, true);
    }

    @Test
    void aBatchWithinItsBudgetIsStoredAndAnnounced() {
        Submissions.Result result = submissions(100).submit(batchOf(3, 1.00, false));

        assertThat(result).isInstanceOf(Submissions.Stored.class);
        Batch batch = ((Submissions.Stored) result).batch();
        assertThat(store.batchGet(batch.id())).get().extracting(b -> b.counts().total()).isEqualTo(3);
        assertThat(announced).hasValue(1);
    }

    @Test
    void anEstimateOverTheBudgetStoresNothing() {
        Submissions.Result result = submissions(100).submit(batchOf(3, 0.25, false));

        assertThat(result).isInstanceOfSatisfying(Submissions.OverBudget.class, over -> {
            assertThat(over.estimate().meetings()).isEqualTo(3);
            assertThat(over.estimate().maxCostUsd()).isGreaterThan(0.25);
            assertThat(over.budgetUsd()).isEqualTo(0.25);
        });
        assertThat(store.countsAll().counts().total()).isZero();
        assertThat(announced).hasValue(0);
    }

    @Test
    void allowOverBudgetStoresItAnyway() {
        assertThat(submissions(100).submit(batchOf(3, 0.25, true))).isInstanceOf(Submissions.Stored.class);
    }

    @Test
    void aFullQueueRefusesBeforeAnythingIsEstimatedOrStored() {
        Submissions submissions = submissions(4);
        assertThat(submissions.submit(batchOf(3, null, false))).isInstanceOf(Submissions.Stored.class);

        Submissions.Result result = submissions.submit(batchOf(2, 0.01, false));

        assertThat(result).isEqualTo(new Submissions.QueueFull(3, 2, 4));
        assertThat(((Submissions.QueueFull) result).over()).isEqualTo(1);
        assertThat(store.countsAll().counts().total()).isEqualTo(3);
    }
}
