package io.minutes.providers.http;

import io.minutes.core.domain.Failure;
import org.junit.jupiter.api.Test;

import java.time.Duration;

import static org.assertj.core.api.Assertions.assertThat;

class RetryInPlaceTest {

    @Test
    void a429IsSentAgainAfterItsRetryAfterWhileTheRefusalsStayWithinTheBound() {
        RetryInPlace again = new RetryInPlace();
        Failure refused = Failure.rateLimited("HTTP 429", Duration.ofMillis(300));

        assertThat(again.after(refused)).contains(Duration.ofMillis(300));
        assertThat(again.after(refused)).as("429s are bounded by time, not by count").contains(Duration.ofMillis(300));
        assertThat(again.after(Failure.rateLimited("HTTP 429", RetryInPlace.RATE_LIMITED_FOR.plusSeconds(1))))
                .as("a wait past the bound goes back to the queue instead").isEmpty();
    }

    @Test
    void anotherTransientFailureIsSentAgainAfterAGrowingBackoffThreeTimes() {
        RetryInPlace again = new RetryInPlace();
        Failure serverError = Failure.transientFailure("HTTP 500");

        for (int i = 0; i < RetryInPlace.TRANSIENT_TRIES; i++) {
            long ceiling = RetryInPlace.FIRST_BACKOFF.toMillis() << i;
            assertThat(again.after(serverError)).hasValueSatisfying(wait ->
                    assertThat(wait.toMillis()).isBetween(ceiling / 2, ceiling));
        }
        assertThat(again.after(serverError)).isEmpty();
    }

    @Test
    void aPermanentFailureIsNeverSentAgain() {
        assertThat(new RetryInPlace().after(Failure.permanent("HTTP 400"))).isEmpty();
    }
}
