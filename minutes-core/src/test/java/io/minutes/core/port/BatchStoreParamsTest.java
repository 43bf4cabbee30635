package io.minutes.core.port;

import io.minutes.core.domain.MeetingState;
import io.minutes.core.domain.Priority;
import io.minutes.core.domain.OnDuplicate;
import io.minutes.core.domain.Tier;
import io.minutes.core.port.BatchStore.BatchCreateParams;
import io.minutes.core.port.BatchStore.NewMeeting;
import io.minutes.core.port.BatchStore.RequeueParams;
import org.junit.jupiter.api.Test;

import java.time.Instant;
import java.util.List;
import java.util.Set;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class BatchStoreParamsTest {

    private static final Instant NOW = Instant.parse("2025-03-01T09:00:00Z");

    @Test
    void aRequeueTakesBackTheFailedMeetingsOrTheFailedAndTheCancelledOnesAndNamesAnyOtherSetItIsGiven() {
        assertThat(RequeueParams.failed("b", NOW).states()).containsExactly(MeetingState.FAILED);
        assertThat(RequeueParams.failedAndCancelled("b", NOW).states())
                .containsExactlyInAnyOrder(MeetingState.FAILED, MeetingState.CANCELLED);

        assertThatThrownBy(() -> new RequeueParams("b", Set.of(MeetingState.COMPLETED), NOW))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("the failed meetings, or the failed and the cancelled ones")
                .hasMessageContaining("COMPLETED");
    }

    @Test
    void aBatchWithASubmissionNeedsOneTierPerMeeting() {
        BatchCreateParams batch = new BatchCreateParams(null, "sim", NOW,
                List.of(NewMeeting.skipped("a.vtt", "a", "too short"), NewMeeting.skipped("b.vtt", "b", "too short")),
                Priority.NORMAL, OnDuplicate.ALLOW_DUPLICATES, Tier.ORDINARY, null, null, null, null);

        assertThatThrownBy(() -> batch.withSubmission(null, List.of(Tier.ORDINARY)))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage("1 tiers for 2 meetings");
        assertThat(batch.withSubmission(null, List.of(Tier.ORDINARY, Tier.SENSITIVE)).tiers())
                .containsExactly(Tier.ORDINARY, Tier.SENSITIVE);
        assertThat(batch.tiers()).as("without a submission, every meeting has the batch's tier").isNull();
    }
}
