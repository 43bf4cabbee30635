package io.minutes.providers.http;

import io.minutes.core.domain.RateLimitSnapshot;
import org.junit.jupiter.api.Test;

import java.net.http.HttpHeaders;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;

import static org.assertj.core.api.Assertions.assertThat;

class RateLimitHeadersTest {
    private static final Instant NOW = Instant.parse("2026-11-25T12:00:00Z");

    static HttpHeaders headers(String... pairs) {
        Map<String, List<String>> map = new java.util.LinkedHashMap<>();
        for (int i = 0; i < pairs.length; i += 2) map.put(pairs[i], List.of(pairs[i + 1]));
        return HttpHeaders.of(map.entrySet().stream().collect(Collectors.toMap(Map.Entry::getKey, Map.Entry::getValue)), (a, b) -> true);
    }

    @Test
    void openAiHeadersWithGoDurations() {
        RateLimitSnapshot s = RateLimitHeaders.snapshot(headers(
                "x-ratelimit-limit-requests", "5000", "x-ratelimit-remaining-requests", "4999",
                "x-ratelimit-reset-requests", "12ms", "x-ratelimit-limit-tokens", "800000",
                "x-ratelimit-remaining-tokens", "799100", "x-ratelimit-reset-tokens", "6m0s"), NOW);
        assertThat(s.requestsLimit()).isEqualTo(5000);
        assertThat(s.requestsRemaining()).isEqualTo(4999);
        assertThat(s.requestsReset()).isEqualTo(Duration.ofMillis(12));
        assertThat(s.tokensLimit()).isEqualTo(800000);
        assertThat(s.tokensRemaining()).isEqualTo(799100);
        assertThat(s.tokensReset()).isEqualTo(Duration.ofMinutes(6));
        assertThat(s.observedAt()).isEqualTo(NOW);
        assertThat(s.isEmpty()).isFalse();
    }

    @Test
    void anthropicHeadersWithRfc3339Resets() {
        RateLimitSnapshot s = RateLimitHeaders.snapshot(headers(
                "anthropic-ratelimit-requests-limit", "50", "anthropic-ratelimit-requests-remaining", "49",
                "anthropic-ratelimit-requests-reset", "2026-11-25T12:00:01Z",
                "anthropic-ratelimit-input-tokens-limit", "30000", "anthropic-ratelimit-input-tokens-remaining", "27000",
                "anthropic-ratelimit-input-tokens-reset", "2026-11-25T12:00:06Z",
                "anthropic-ratelimit-output-tokens-limit", "8000", "anthropic-ratelimit-output-tokens-remaining", "8000",
                "anthropic-ratelimit-output-tokens-reset", "2026-11-25T12:00:00Z",
                "anthropic-ratelimit-tokens-limit", "38000", "anthropic-ratelimit-tokens-remaining", "35000",
                "anthropic-ratelimit-tokens-reset", "2026-11-25T12:00:06.500Z"), NOW);
        assertThat(s.requestsLimit()).isEqualTo(50);
        assertThat(s.requestsReset()).isEqualTo(Duration.ofSeconds(1));
        assertThat(s.inputTokensLimit()).isEqualTo(30000);
        assertThat(s.inputTokensRemaining()).isEqualTo(27000);
        assertThat(s.inputTokensReset()).isEqualTo(Duration.ofSeconds(6));
        assertThat(s.outputTokensRemaining()).isEqualTo(8000);
        assertThat(s.outputTokensReset()).isZero();
        assertThat(s.tokensReset()).isEqualTo(Duration.ofMillis(6500));
    }

    @Test
    void goDurationForms() {
        assertThat(RateLimitHeaders.goDuration("1s")).isEqualTo(Duration.ofSeconds(1));
        assertThat(RateLimitHeaders.goDuration("20ms")).isEqualTo(Duration.ofMillis(20));
        assertThat(RateLimitHeaders.goDuration("6m0s")).isEqualTo(Duration.ofMinutes(6));
        assertThat(RateLimitHeaders.goDuration("1h2m3.5s")).isEqualTo(Duration.ofMillis(3_723_500));
        assertThat(RateLimitHeaders.goDuration("2m59.56s")).isEqualTo(Duration.ofMillis(179_560));
        assertThat(RateLimitHeaders.goDuration("0.5")).isEqualTo(Duration.ofMillis(500));
        assertThat(RateLimitHeaders.goDuration("soon")).isNull();
        assertThat(RateLimitHeaders.goDuration("5sx")).isNull();
    }

    @Test
    void retryAfterPrefersMillisecondsThenSecondsThenDateThenExhaustedReset() {
        assertThat(RateLimitHeaders.retryAfter(headers("retry-after-ms", "1500", "retry-after", "2"), NOW))
                .isEqualTo(Duration.ofMillis(1500));
        assertThat(RateLimitHeaders.retryAfter(headers("retry-after", "7"), NOW)).isEqualTo(Duration.ofSeconds(7));
        assertThat(RateLimitHeaders.retryAfter(headers("retry-after", "Wed, 25 Nov 2026 12:00:30 GMT"), NOW))
                .isEqualTo(Duration.ofSeconds(30));
        assertThat(RateLimitHeaders.retryAfter(headers("retry-after", "Wed, 25 Nov 2026 11:00:00 GMT"), NOW))
                .as("a date in the past means now").isZero();
        assertThat(RateLimitHeaders.retryAfter(headers(
                "x-ratelimit-remaining-requests", "10", "x-ratelimit-reset-requests", "2s",
                "x-ratelimit-remaining-tokens", "0", "x-ratelimit-reset-tokens", "1m30s"), NOW))
                .as("the used-up allowance decides").isEqualTo(Duration.ofSeconds(90));
        assertThat(RateLimitHeaders.retryAfter(headers(
                "anthropic-ratelimit-requests-remaining", "0", "anthropic-ratelimit-requests-reset", "2026-11-25T12:00:04Z"), NOW))
                .isEqualTo(Duration.ofSeconds(4));
        assertThat(RateLimitHeaders.retryAfter(headers(
                "x-ratelimit-remaining-requests", "499", "x-ratelimit-reset-requests", "120ms",
                "x-ratelimit-remaining-tokens", "149000", "x-ratelimit-reset-tokens", "59s"), NOW))
                .as("a reset is a hint only for an allowance that is used up").isNull();
        assertThat(RateLimitHeaders.retryAfter(headers("retry-after", "later"), NOW)).isNull();
        assertThat(RateLimitHeaders.retryAfter(headers(), NOW)).isNull();
    }

    @Test
    void malformedValuesAreLeftOut() {
        RateLimitSnapshot s = RateLimitHeaders.snapshot(headers(
                "x-ratelimit-limit-requests", "many", "x-ratelimit-reset-requests", "whenever"), NOW);
        assertThat(s.requestsLimit()).isNull();
        assertThat(s.requestsReset()).isNull();
        assertThat(s.isEmpty()).isTrue();
    }
}
