package io.minutes.core.engine;

import org.junit.jupiter.api.Test;

import java.time.Duration;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class AimdConcurrencyTest {
    static final Duration RTT = Duration.ofMillis(500);

    @Test
    void growsByOneForEachSuccessWhileTheSlotsAreUsed() {
        AimdConcurrency limit = new AimdConcurrency(5, 100, 0.9);
        for (int i = 0; i < 10; i++) limit.succeeded(RTT, limit.current());
        assertThat(limit.current()).isEqualTo(15);
    }

    @Test
    void doesNotGrowWhileMostSlotsAreIdle() {
        AimdConcurrency limit = new AimdConcurrency(20, 100, 0.9);
        for (int i = 0; i < 10; i++) limit.succeeded(RTT, 3);
        assertThat(limit.current()).isEqualTo(20);
    }

    @Test
    void shrinksOnADropAndStaysWithinOneAndMax() {
        AimdConcurrency limit = new AimdConcurrency(10, 12, 0.5);
        limit.dropped();
        assertThat(limit.current()).isEqualTo(5);
        for (int i = 0; i < 20; i++) limit.dropped();
        assertThat(limit.current()).isEqualTo(1);
        for (int i = 0; i < 50; i++) limit.succeeded(RTT, limit.current());
        assertThat(limit.current()).isEqualTo(12);
    }

    @Test
    void startsAtTwentyOrTheMaxIfLower() {
        assertThat(new AimdConcurrency(100).current()).isEqualTo(20);
        assertThat(new AimdConcurrency(8).current()).isEqualTo(8);
    }

    @Test
    void badBoundsAreRefused() {
        assertThatThrownBy(() -> new AimdConcurrency(0, 10, 0.9)).hasMessageContaining("initial");
        assertThatThrownBy(() -> new AimdConcurrency(5, 10, 1.0)).hasMessageContaining("backoff");
    }
}
