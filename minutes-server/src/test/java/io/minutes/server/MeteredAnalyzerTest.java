package io.minutes.server;

import io.minutes.core.domain.Failure;
import io.minutes.core.domain.Segment;
import io.minutes.core.domain.Transcript;
import io.minutes.core.port.Analyzer;
import io.minutes.core.port.AnalyzerException;
import io.minutes.core.testing.TestRequests;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** {@code minutes_provider_rate_limited} counts the provider's refusals for its rate limit, read from the failure's cause. */
class MeteredAnalyzerTest {
    private static final Transcript MEETING = new Transcript("txt", List.of(Segment.of("A", "We ship on Friday.")));

    private final ServerMetrics metrics = new ServerMetrics();

    @Test
    void aRateLimitRefusalIsCountedWithOrWithoutRetryAfterWhateverItsMessageSays() {
        fail(Failure.rateLimited("slow down", Duration.ofSeconds(3)));
        fail(Failure.rateLimited("openai: too many requests", null));

        assertThat(rateLimited()).isEqualTo(2.0);
    }

    @Test
    void aQuota429AnOverloadOrAMessageThatMentionsARateLimitIsNotCounted() {
        fail(Failure.of(Failure.Cause.QUOTA_EXHAUSTED, "openai: HTTP 429 insufficient_quota"));
        fail(new Failure(Failure.Cause.OVERLOADED, "anthropic: HTTP 529 overloaded", Duration.ofSeconds(5)));
        fail(Failure.of(Failure.Cause.SERVER_ERROR, "proxy: HTTP 502 (upstream rate limit)"));

        assertThat(rateLimited()).isZero();
    }

    private void fail(Failure failure) {
        Analyzer failing = new Analyzer() {
            @Override
            public String name() {
                return "openai";
            }

            @Override
            public Result analyze(Request request) throws AnalyzerException {
                throw new AnalyzerException(failure);
            }
        };
        Analyzer metered = new MeteredAnalyzer(failing, metrics);
        assertThatThrownBy(() -> metered.analyze(TestRequests.request("m1", "planning", MEETING)))
                .isInstanceOf(AnalyzerException.class);
    }

    private double rateLimited() {
        return metrics.registry().counter("minutes_provider_rate_limited", "provider", "openai").count();
    }
}
