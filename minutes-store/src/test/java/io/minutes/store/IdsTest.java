package io.minutes.store;

import org.junit.jupiter.api.Test;

import java.time.Instant;
import java.util.HashSet;
import java.util.Set;

import static org.assertj.core.api.Assertions.assertThat;

class IdsTest {

    @Test
    void idsSortByCreationTime() {
        Instant t = Instant.parse("2025-03-01T09:00:00Z");
        String earlier = Ids.batchId(t);
        String later = Ids.batchId(t.plusMillis(1));

        assertThat(earlier).startsWith("batch_").hasSize("batch_".length() + 26);
        assertThat(earlier).isLessThan(later);
        assertThat(Ids.meetingId(t)).startsWith("mtg_");
    }

    @Test
    void idsMadeInTheSameMillisecondDiffer() {
        Instant t = Instant.parse("2025-03-01T09:00:00Z");
        Set<String> ids = new HashSet<>();
        for (int i = 0; i < 10_000; i++) ids.add(Ids.meetingId(t));

        assertThat(ids).hasSize(10_000);
    }
}
