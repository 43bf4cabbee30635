package io.minutes.core.engine;

import io.minutes.core.testing.ManualClock;
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

    /**
     * Was: auto concurrency ran at 3 in flight where c=5 was faster (issue 19's TPM row): AIMD only grows
     * while half its slots are in use, so calls waiting for the rate limit kept it from growing after
     * a few failures had shrunk it. Now rate x latency sets a floor.
     */
    @Test
    void neverFewerSlotsThanTheRateTimesTheLatencyNeed() {
        ManualClock clock = new ManualClock();
        AimdConcurrency limit = new AimdConcurrency(20, 100, 0.5, clock);
        for (int i = 0; i < 4; i++) limit.dropped();
        assertThat(limit.current()).isEqualTo(1);
        clock.advance(Duration.ofSeconds(10));
        // answers at 10 a second, each after 3 s: 30 calls in flight; AIMD alone would not grow (few slots used)
        for (int i = 0; i < 60; i++) {
            clock.advance(Duration.ofMillis(100));
            limit.succeeded(Duration.ofSeconds(3), 0);
        }
        assertThat(limit.current()).isEqualTo((int) Math.ceil(10 * 3 * AimdConcurrency.HEADROOM));
    }

    @Test
    void whileTheSlotsHoldTheRateBackTheyGrowEachRoundTrip() {
        ManualClock clock = new ManualClock();
        AimdConcurrency limit = new AimdConcurrency(4, 1_000, 0.9, clock);
        int rounds = 0;
        while (limit.current() < 1_000 && rounds < 30) {
            int slots = limit.current();
            for (int i = 0; i < slots; i++) { // each slot's call answers once a round trip, spread over it
                clock.advance(RTT.dividedBy(slots));
                limit.succeeded(RTT, 1); // few in flight as the call sees it: AIMD alone would not grow
            }
            rounds++;
        }
        assertThat(limit.current()).isEqualTo(1_000);
        assertThat(rounds).as("round trips to go from 4 to 1,000 slots (x1.5 each)").isLessThanOrEqualTo(15);
    }

    @Test
    void theFloorFollowsTheRateDown() {
        ManualClock clock = new ManualClock();
        AimdConcurrency limit = new AimdConcurrency(1, 100, 0.5, clock);
        for (int i = 0; i < 50; i++) {
            clock.advance(Duration.ofMillis(100));
            limit.succeeded(Duration.ofSeconds(1), 0);
        }
        assertThat(limit.current()).isEqualTo(15);
        limit.dropped();
        clock.advance(Duration.ofSeconds(10)); // then one answer a second
        for (int i = 0; i < 10; i++) {
            clock.advance(Duration.ofSeconds(1));
            limit.succeeded(Duration.ofSeconds(1), 0);
        }
        assertThat(limit.current()).as("what the last drop left, above 1 a second x 1 s x headroom").isEqualTo(7);
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
