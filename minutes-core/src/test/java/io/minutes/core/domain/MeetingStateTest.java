package io.minutes.core.domain;

import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

class MeetingStateTest {

    @Test
    void completedAndSkippedMeetingsNeverMoveAgain() {
        assertThat(MeetingState.COMPLETED.allowedNext()).isEmpty();
        assertThat(MeetingState.SKIPPED.allowedNext()).isEmpty();
    }

    @Test
    void onlyQueuedMeetingsCanBeClaimed() {
        for (MeetingState s : MeetingState.values()) {
            assertThat(s.canMoveTo(MeetingState.RUNNING)).as(s.name()).isEqualTo(s == MeetingState.QUEUED);
        }
    }

    @Test
    void theTableHoldsExactlyTheMovesTheStoreMakes() {
        List<String> allowed = new ArrayList<>();
        for (MeetingState from : MeetingState.values()) {
            for (MeetingState to : MeetingState.values()) {
                if (from.canMoveTo(to)) allowed.add(from.wireName() + "->" + to.wireName());
            }
        }
        assertThat(allowed).containsExactlyInAnyOrder(
                "queued->running", "queued->cancelled", "queued->skipped", "queued->waiting",
                "waiting->completed", "waiting->queued", "waiting->failed", "waiting->cancelled",
                "running->completed", "running->failed", "running->skipped", "running->cancelled", "running->queued",
                "failed->queued", "cancelled->queued");
        assertThat(MeetingState.initial()).containsExactlyInAnyOrder(MeetingState.QUEUED, MeetingState.SKIPPED, MeetingState.FAILED);
    }

    @Test
    void batchStatusFollowsItsMeetings() {
        BatchCounts none = BatchCounts.EMPTY;
        assertThat(none.plus(MeetingState.QUEUED, 1).plus(MeetingState.COMPLETED, 1).status()).isEqualTo(BatchStatus.PROCESSING);
        assertThat(none.plus(MeetingState.COMPLETED, 2).plus(MeetingState.SKIPPED, 1).status()).isEqualTo(BatchStatus.COMPLETED);
        assertThat(none.plus(MeetingState.COMPLETED, 2).plus(MeetingState.FAILED, 1).status()).isEqualTo(BatchStatus.PARTIAL);
        assertThat(none.plus(MeetingState.FAILED, 2).plus(MeetingState.SKIPPED, 1).status()).isEqualTo(BatchStatus.FAILED);
        assertThat(none.plus(MeetingState.COMPLETED, 2).plus(MeetingState.CANCELLED, 1).status()).isEqualTo(BatchStatus.CANCELLED);
        assertThat(none.plus(MeetingState.COMPLETED, 2).plus(MeetingState.WAITING, 1).status())
                .as("a meeting inside a provider batch keeps its batch processing").isEqualTo(BatchStatus.PROCESSING);
    }
}
