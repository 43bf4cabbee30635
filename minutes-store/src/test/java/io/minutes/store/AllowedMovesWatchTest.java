package io.minutes.store;

import io.minutes.core.domain.Batch;
import io.minutes.core.domain.BatchCounts;
import io.minutes.core.domain.Meeting;
import io.minutes.core.domain.MeetingState;
import io.minutes.core.domain.Priority;
import io.minutes.core.port.MeetingStore;
import org.junit.jupiter.api.Test;

import java.lang.reflect.Proxy;
import java.time.Instant;
import java.util.List;
import java.util.concurrent.atomic.AtomicReference;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** The watch the store contracts run under really judges: a store that makes a forbidden move fails. */
class AllowedMovesWatchTest {
    private static final Instant T0 = Instant.parse("2025-03-01T09:00:00Z");

    /** One batch of one meeting whose state every write operation sets to {@code next}. */
    private static MeetingStore oneMeetingStore(MeetingState first, MeetingState next) {
        AtomicReference<MeetingState> state = new AtomicReference<>(first);
        return (MeetingStore) Proxy.newProxyInstance(MeetingStore.class.getClassLoader(), new Class<?>[]{MeetingStore.class},
                (proxy, method, args) -> switch (method.getName()) {
                    case "batchPage" -> List.of(new Batch("b1", null, "sim", T0, BatchCounts.EMPTY, null, Priority.NORMAL));
                    case "meetingsBrief", "meetingsList" -> List.of(new Meeting("m1", "b1", 0, "m1.txt", "m1", "h1",
                            state.get(), 0, null, null, null, null, null, null, List.of(), null, null, null, null));
                    case "close" -> null;
                    default -> {
                        state.set(next);
                        yield 1;
                    }
                });
    }

    @Test
    void aMoveTheTableForbidsFailsNamingTheOperationAndTheMove() {
        AllowedMovesWatch watch = new AllowedMovesWatch();
        MeetingStore store = watch.watch(oneMeetingStore(MeetingState.COMPLETED, MeetingState.QUEUED));

        store.meetingsRequeue(MeetingStore.RequeueParams.failedAndCancelled("b1", T0));

        assertThatThrownBy(watch::assertOnlyAllowedMoves)
                .hasMessageContaining("meetingsRequeue moved meeting m1 completed -> queued");
    }

    @Test
    void anAllowedMoveIsJudgedAndPasses() {
        AllowedMovesWatch watch = new AllowedMovesWatch();
        MeetingStore store = watch.watch(oneMeetingStore(MeetingState.QUEUED, MeetingState.CANCELLED));

        store.batchCancel(new MeetingStore.BatchCancelParams("b1", T0));

        assertThat(watch.judgedOperations()).isEqualTo(1);
        watch.assertOnlyAllowedMoves();
    }

    @Test
    void readsAreNotJudged() {
        AllowedMovesWatch watch = new AllowedMovesWatch();
        MeetingStore store = watch.watch(oneMeetingStore(MeetingState.QUEUED, MeetingState.QUEUED));

        assertThat(store.meetingsList("b1")).hasSize(1);

        assertThat(watch.judgedOperations()).isZero();
    }
}
