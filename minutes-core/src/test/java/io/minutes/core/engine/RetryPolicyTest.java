package io.minutes.core.engine;

import io.minutes.core.domain.Failure;
import io.minutes.core.port.MeetingStore;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.time.Instant;
import java.util.SplittableRandom;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class RetryPolicyTest {
    private final RetryPolicy policy = RetryPolicy.builder()
            .maxAttempts(5).baseDelay(Duration.ofSeconds(1)).maxDelay(Duration.ofSeconds(10))
            .random(new SplittableRandom(42)).build();

    @Test
    void permanentFailuresAreNeverRetried() {
        assertThat(policy.decide(1, Failure.permanent("bad input")).retry()).isFalse();
    }

    @Test
    void transientFailuresAreRetriedUntilTheLastAttempt() {
        Failure failure = Failure.transientFailure("503");
        assertThat(policy.decide(1, failure).retry()).isTrue();
        assertThat(policy.decide(4, failure).retry()).isTrue();
        assertThat(policy.decide(5, failure).retry()).isFalse();
    }

    @Test
    void aBatchsOwnBudgetReplacesThePolicysMaximumButNotItsBackoff() {
        Failure failure = Failure.transientFailure("503");
        assertThat(policy.decide(1, 1, failure).retry()).as("max_attempts 1: the first failure is final").isFalse();
        assertThat(policy.decide(5, 8, failure).retry()).as("more than the policy's 5").isTrue();
        assertThat(policy.decide(8, 8, failure).retry()).isFalse();
        assertThat(policy.decide(1, 8, Failure.permanent("400")).retry()).isFalse();
        assertThat(policy.decide(6, 8, failure).delay()).isLessThanOrEqualTo(Duration.ofSeconds(10));
    }

    @Test
    void a429IsRetriedAfterItsRetryAfterUntilTheProviderRefusedForTheWholeBound() {
        RetryPolicy patient = RetryPolicy.builder().maxAttempts(1).maxRateLimitedFor(Duration.ofMinutes(15)).build();
        Failure refused = Failure.rateLimited("429", Duration.ofMillis(50));

        assertThat(patient.decideRateLimited(Duration.ZERO, refused)).isEqualTo(new RetryPolicy.Decision(true, Duration.ofMillis(50)));
        assertThat(patient.decideRateLimited(Duration.ofMinutes(14), refused).retry()).as("max-attempts 1 plays no part").isTrue();
        assertThat(patient.decideRateLimited(Duration.ofMinutes(15), refused).retry()).isFalse();
        assertThat(patient.decideRateLimited(Duration.ZERO, Failure.rateLimited("429", null)).delay())
                .as("no retry-after: the first backoff").isLessThanOrEqualTo(Duration.ofSeconds(1));
    }

    @Test
    void aLostLeaseBacksOffLikeAnyAttemptAndACrashLoopEnds() {
        RetryPolicy crashes = RetryPolicy.builder().maxAttempts(1).baseDelay(Duration.ofSeconds(1))
                .maxDelay(Duration.ofSeconds(10)).maxLeasesLostInARow(3).random(new SplittableRandom(7)).build();

        assertThat(crashes.afterLeaseLost(1)).hasValueSatisfying(d -> assertThat(d).isBetween(Duration.ZERO, Duration.ofSeconds(1)));
        assertThat(crashes.afterLeaseLost(2)).hasValueSatisfying(d -> assertThat(d).isBetween(Duration.ZERO, Duration.ofSeconds(2)));
        assertThat(crashes.afterLeaseLost(3)).as("the third in a row").isEmpty();
        assertThat(RetryPolicy.ofDefaults().afterLeaseLost(3)).as("three kill -9 in a row are survived by default").isPresent();
        assertThatThrownBy(() -> RetryPolicy.builder().maxLeasesLostInARow(0)).isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void theReaperIsAnsweredWithAnOutcomeRetriedAfterTheBackoffOrFailedSayingItIsACrashLoop() {
        RetryPolicy crashes = RetryPolicy.builder().baseDelay(Duration.ofSeconds(1)).maxDelay(Duration.ofSeconds(10))
                .maxLeasesLostInARow(3).random(new SplittableRandom(7)).build();
        Instant now = Instant.parse("2025-03-01T09:00:00Z");
        Failure expired = Failure.transientFailure("lease expired");

        MeetingStore.Outcome second = crashes.afterLeaseLost(new MeetingStore.LostLease("m", "node", 2, 1, 1, 2, expired), now);
        assertThat(second).isInstanceOfSatisfying(MeetingStore.Outcome.RetryAt.class, retry -> {
            assertThat(retry.failure()).isEqualTo(expired);
            assertThat(retry.notBefore()).isBetween(now, now.plusSeconds(2));
        });
        MeetingStore.Outcome third = crashes.afterLeaseLost(new MeetingStore.LostLease("m", "node", 3, 1, 1, 3, expired), now);
        assertThat(third).isInstanceOfSatisfying(MeetingStore.Outcome.Failed.class, failed ->
                assertThat(failed.failure().message()).startsWith("the worker holding this meeting lost its lease 3 times in a row"));
    }

    @Test
    void aCrashLoopFailsWithTheLeaseLostCause() {
        RetryPolicy crashes = RetryPolicy.builder().maxLeasesLostInARow(2).build();
        Failure expired = Failure.of(Failure.Cause.LEASE_LOST, "lease expired");

        MeetingStore.Outcome last = crashes.afterLeaseLost(new MeetingStore.LostLease("m", "node", 2, 1, 1, 2, expired),
                Instant.parse("2025-03-01T09:00:00Z"));

        assertThat(last).isInstanceOfSatisfying(MeetingStore.Outcome.Failed.class, failed ->
                assertThat(failed.failure().cause()).isEqualTo(Failure.Cause.LEASE_LOST));
    }

    @Test
    void backoffCeilingDoublesAndIsCapped() {
        assertThat(policy.backoffCeiling(1)).isEqualTo(Duration.ofSeconds(1));
        assertThat(policy.backoffCeiling(2)).isEqualTo(Duration.ofSeconds(2));
        assertThat(policy.backoffCeiling(3)).isEqualTo(Duration.ofSeconds(4));
        assertThat(policy.backoffCeiling(5)).isEqualTo(Duration.ofSeconds(10));
        assertThat(policy.backoffCeiling(64)).isEqualTo(Duration.ofSeconds(10));
    }

    @Test
    void aZeroBaseDelayMeansNoBackoffNotTheMaximum() {
        RetryPolicy immediate = RetryPolicy.builder().baseDelay(Duration.ZERO).build();
        assertThat(immediate.backoffCeiling(3)).isEqualTo(Duration.ZERO);
        assertThat(immediate.decide(3, Failure.transientFailure("x")).retry()).isFalse();
        assertThat(immediate.decide(1, Failure.transientFailure("x")).delay()).isEqualTo(Duration.ZERO);
    }

    @Test
    void fullJitterSpreadsDelaysOverTheWholeWindow() {
        Failure failure = Failure.transientFailure("503");
        long min = Long.MAX_VALUE;
        long max = 0;
        for (int i = 0; i < 2_000; i++) {
            long ms = policy.decide(3, failure).delay().toMillis();
            assertThat(ms).isBetween(0L, 4_000L);
            min = Math.min(min, ms);
            max = Math.max(max, ms);
        }
        assertThat(min).isLessThan(400);
        assertThat(max).isGreaterThan(3_600);
    }

    @Test
    void neverRetriesSoonerThanTheProvidersRetryAfter() {
        Failure rateLimited = new Failure(Failure.Kind.TRANSIENT, "429", Duration.ofSeconds(30));
        for (int i = 0; i < 100; i++) {
            assertThat(policy.decide(1, rateLimited).delay()).isGreaterThanOrEqualTo(Duration.ofSeconds(30));
        }
    }

    @Test
    void invalidSettingsAreRefusedWithTheirName() {
        assertThatThrownBy(() -> RetryPolicy.builder().maxAttempts(0)).hasMessageContaining("max attempts");
        assertThatThrownBy(() -> RetryPolicy.builder().baseDelay(Duration.ofSeconds(5)).maxDelay(Duration.ofSeconds(1)).build())
                .hasMessageContaining("max delay");
    }
}
