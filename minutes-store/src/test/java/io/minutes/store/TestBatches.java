package io.minutes.store;

import io.minutes.core.domain.OnDuplicate;
import io.minutes.core.domain.Priority;
import io.minutes.core.domain.Tier;
import io.minutes.core.port.BatchStore.BatchCreateParams;
import io.minutes.core.port.BatchStore.NewMeeting;

import java.time.Instant;
import java.util.List;

/**
 * Batches to store in tests: what a test leaves out is set as {@code minutes run} sets it without
 * options (normal priority, duplicates allowed, the ordinary tier, no budget, no analyzer identity,
 * no submission).
 */
public final class TestBatches {

    private TestBatches() {
    }

    public static BatchCreateParams batch(String runKey, String provider, Instant now, List<NewMeeting> meetings) {
        return batch(runKey, provider, now, meetings, Priority.NORMAL);
    }

    public static BatchCreateParams batch(String runKey, String provider, Instant now, List<NewMeeting> meetings,
                                          Priority priority) {
        return batch(runKey, provider, now, meetings, priority, OnDuplicate.ALLOW_DUPLICATES, Tier.ORDINARY);
    }

    public static BatchCreateParams batch(String runKey, String provider, Instant now, List<NewMeeting> meetings,
                                          Priority priority, OnDuplicate onDuplicate, Tier tier) {
        return batch(runKey, provider, now, meetings, priority, onDuplicate, tier, null);
    }

    public static BatchCreateParams batch(String runKey, String provider, Instant now, List<NewMeeting> meetings,
                                          Priority priority, OnDuplicate onDuplicate, Tier tier, Double budgetUsd) {
        return batch(runKey, provider, now, meetings, priority, onDuplicate, tier, budgetUsd, null);
    }

    public static BatchCreateParams batch(String runKey, String provider, Instant now, List<NewMeeting> meetings,
                                          Priority priority, OnDuplicate onDuplicate, Tier tier, Double budgetUsd,
                                          String analyzer) {
        return new BatchCreateParams(runKey, provider, now, meetings, priority, onDuplicate, tier, budgetUsd, analyzer,
                null, null);
    }
}
