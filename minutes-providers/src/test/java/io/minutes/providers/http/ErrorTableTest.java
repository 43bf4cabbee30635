package io.minutes.providers.http;

import io.minutes.core.domain.Failure;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import java.io.IOException;
import java.net.ConnectException;
import java.net.http.HttpConnectTimeoutException;
import java.net.http.HttpTimeoutException;
import java.time.Duration;
import java.time.Instant;

import static io.minutes.providers.http.RateLimitHeadersTest.headers;
import static org.assertj.core.api.Assertions.assertThat;

class ErrorTableTest {
    private static final Instant NOW = Instant.parse("2026-11-25T12:00:00Z");
    private static final String KEY = "sk-test-0123456789abcdef";
    private static final String HINT = "set OPENAI_API_KEY or --api-key-env";

    private static ProviderException classify(int status, String body, String... headers) {
        return ErrorTable.classify("openai", status, headers(headers), body, NOW, HINT, KEY);
    }

    @ParameterizedTest(name = "HTTP {0} -> {1}")
    @CsvSource({
            "429, RATE_LIMITED", "408, TRANSIENT", "409, TRANSIENT", "500, TRANSIENT", "502, TRANSIENT",
            "503, TRANSIENT", "504, TRANSIENT", "529, TRANSIENT", "401, AUTHENTICATION", "403, AUTHENTICATION",
            "400, PERMANENT", "404, PERMANENT", "422, PERMANENT"})
    void statusClasses(int status, ErrorKind expected) {
        ProviderException e = classify(status, "{\"error\":{\"message\":\"x\",\"type\":\"t\",\"param\":null,\"code\":null}}");
        assertThat(e.kind()).isEqualTo(expected);
        assertThat(e.status()).isEqualTo(status);
        assertThat(e.failure().kind()).isEqualTo(expected == ErrorKind.RATE_LIMITED || expected == ErrorKind.TRANSIENT
                ? Failure.Kind.TRANSIENT : Failure.Kind.PERMANENT);
        assertThat(e.getMessage()).contains("openai answered HTTP " + status);
    }

    /** What the engine does with each row: retry, charge or refund the throttle, back off the concurrency. */
    @ParameterizedTest(name = "HTTP {0} -> {1}")
    @CsvSource({
            "429, RATE_LIMITED", "503, OVERLOADED", "529, OVERLOADED", "500, SERVER_ERROR", "502, SERVER_ERROR",
            "504, SERVER_ERROR", "408, SERVER_ERROR", "401, REFUSED_REQUEST", "400, REFUSED_REQUEST", "404, REFUSED_REQUEST"})
    void statusCauses(int status, Failure.Cause expected) {
        ProviderException e = classify(status, "{\"error\":{\"message\":\"x\",\"type\":\"t\",\"param\":null,\"code\":null}}");
        assertThat(e.failure().cause()).isEqualTo(expected);
    }

    @Test
    void onlyARateLimitRefusalIsUncountedAndOnlyAnOverloadAsksForFewerCalls() {
        ProviderException rateLimited = classify(429, "{}");
        ProviderException overloaded = classify(503, "{}", "retry-after", "2");
        assertThat(rateLimited.failure().countedByProvider()).isFalse();
        assertThat(rateLimited.failure().usesAnAttempt()).isFalse();
        assertThat(rateLimited.failure().signalsOverload()).isFalse();
        assertThat(overloaded.failure().countedByProvider()).isTrue();
        assertThat(overloaded.failure().usesAnAttempt()).isTrue();
        assertThat(overloaded.failure().signalsOverload()).isTrue();
    }

    @Test
    void anthropicSpendLimitIsQuotaNotARateLimit() {
        ProviderException e = ErrorTable.classify("anthropic", 429, headers(), """
                {"type":"error","error":{"type":"rate_limit_error","message":"You have reached your specified API usage limits.","details":{"error_code":"enforced_spend_limit_reached"}}}""",
                NOW, "set ANTHROPIC_API_KEY", null);
        assertThat(e.kind()).isEqualTo(ErrorKind.PERMANENT);
        assertThat(e.failure().cause()).isEqualTo(Failure.Cause.QUOTA_EXHAUSTED);
    }

    @Test
    void timeoutsAndResetsHaveTheirOwnCauses() {
        assertThat(ErrorTable.ioFailure("openai", "http://x", new HttpTimeoutException("t"), Duration.ofSeconds(1),
                Duration.ofSeconds(1), null).failure().cause()).isEqualTo(Failure.Cause.TIMEOUT);
        assertThat(ErrorTable.ioFailure("openai", "http://x", new ConnectException("refused"), Duration.ofSeconds(1),
                Duration.ofSeconds(1), null).failure().cause()).isEqualTo(Failure.Cause.NETWORK);
    }

    @Test
    void rateLimitCarriesTheProviderDelay() {
        ProviderException e = classify(429, """
                {"error":{"message":"Rate limit reached for gpt-4o in organization org-x on tokens per min (TPM): Limit 30000, Used 30000, Requested 900. Please try again in 1.8s.","type":"tokens","param":null,"code":"rate_limit_exceeded"}}""",
                "x-ratelimit-remaining-tokens", "0", "x-ratelimit-reset-tokens", "1.8s");
        assertThat(e.kind()).isEqualTo(ErrorKind.RATE_LIMITED);
        assertThat(e.failure().retryAfter()).isEqualTo(Duration.ofMillis(1800));
        assertThat(e.getMessage()).contains("HTTP 429 Too Many Requests", "tokens/rate_limit_exceeded", "wait 2 s");
    }

    /** Issue 19: retries after a 500/503 waited a median 24 s, up to 60 s, for a minute's allowance that had room. */
    @Test
    void a5xxWithRateLimitHeadersWaitsItsBackoffNotTheResetOfAnAllowanceThatHasRoom() {
        ProviderException e = classify(503, "{\"error\":{\"message\":\"The server is overloaded\",\"type\":\"server_error\"}}",
                "x-ratelimit-limit-requests", "500", "x-ratelimit-remaining-requests", "480",
                "x-ratelimit-reset-requests", "2.4s", "x-ratelimit-limit-tokens", "150000",
                "x-ratelimit-remaining-tokens", "140000", "x-ratelimit-reset-tokens", "1m0s");
        assertThat(e.kind()).isEqualTo(ErrorKind.TRANSIENT);
        assertThat(e.failure().retryAfter()).as("no hint: the retry policy's backoff decides").isNull();
        assertThat(e.getMessage()).doesNotContain("asks to wait");
    }

    @Test
    void quotaExhaustedIsNotRetried() {
        ProviderException e = classify(429, """
                {"error":{"message":"You exceeded your current quota, please check your plan and billing details.","type":"insufficient_quota","param":null,"code":"insufficient_quota"}}""");
        assertThat(e.kind()).isEqualTo(ErrorKind.PERMANENT);
        assertThat(e.getMessage()).contains("billing");
    }

    @Test
    void anthropicOverloadedIsTransientWithRetryAfter() {
        ProviderException e = ErrorTable.classify("anthropic", 529,
                headers("retry-after", "3"), "{\"type\":\"error\",\"error\":{\"type\":\"overloaded_error\",\"message\":\"Overloaded\"}}",
                NOW, "set ANTHROPIC_API_KEY", null);
        assertThat(e.kind()).isEqualTo(ErrorKind.TRANSIENT);
        assertThat(e.failure().retryAfter()).isEqualTo(Duration.ofSeconds(3));
        assertThat(e.getMessage()).contains("HTTP 529 Overloaded (overloaded_error: Overloaded)");
    }

    @Test
    void contextLengthInEveryDialect() {
        assertThat(classify(400, """
                {"error":{"message":"This model's maximum context length is 128000 tokens. However, your messages resulted in 130000 tokens.","type":"invalid_request_error","param":"messages","code":"context_length_exceeded"}}""").kind())
                .isEqualTo(ErrorKind.CONTEXT_LENGTH);
        assertThat(classify(400, """
                {"type":"error","error":{"type":"invalid_request_error","message":"prompt is too long: 210000 tokens > 200000 maximum"}}""").kind())
                .isEqualTo(ErrorKind.CONTEXT_LENGTH);
        assertThat(classify(413, """
                {"type":"error","error":{"type":"request_too_large","message":"Request exceeds the maximum allowed number of bytes."}}""").kind())
                .isEqualTo(ErrorKind.CONTEXT_LENGTH);
        assertThat(classify(400, "{\"object\":\"error\",\"message\":\"This model's maximum context length is 8192 tokens.\",\"type\":\"BadRequestError\",\"code\":400}").kind())
                .as("vLLM").isEqualTo(ErrorKind.CONTEXT_LENGTH);
        assertThat(classify(400, "{\"error\":\"max_tokens is too large\"}").kind()).isEqualTo(ErrorKind.PERMANENT);
    }

    @Test
    void contentFilterIsPermanentAndSaysSo() {
        ProviderException e = classify(400, """
                {"error":{"message":"The response was filtered due to the prompt triggering Azure OpenAI's content management policy.","type":null,"param":"prompt","code":"content_filter"}}""");
        assertThat(e.kind()).isEqualTo(ErrorKind.PERMANENT);
        assertThat(e.getMessage()).contains("content filter");
    }

    @Test
    void authenticationNamesTheSettingAndNeverTheKey() {
        ProviderException e = classify(401, "{\"error\":{\"message\":\"Incorrect API key provided: " + KEY
                + ". You can find your API key at https://platform.openai.com/account/api-keys.\",\"type\":\"invalid_request_error\",\"param\":null,\"code\":\"invalid_api_key\"}}");
        assertThat(e.kind()).isEqualTo(ErrorKind.AUTHENTICATION);
        assertThat(e.getMessage()).contains(HINT, "invalid_api_key").doesNotContain(KEY);
    }

    @Test
    void ollamaStyleStringErrorAndNonJsonBodies() {
        assertThat(classify(404, "{\"error\":\"model 'llama9' not found, try pulling it first\"}").getMessage())
                .contains("model 'llama9' not found", "--model");
        assertThat(classify(502, "<html>Bad gateway</html>").getMessage()).contains("HTTP 502 Bad Gateway", "Bad gateway");
    }

    @Test
    void failuresWithoutAResponseAreTransient() {
        Duration req = Duration.ofSeconds(30);
        Duration conn = Duration.ofSeconds(5);
        assertThat(ErrorTable.ioFailure("openai", "http://x/v1", new HttpTimeoutException("request timed out"), req, conn, KEY).getMessage())
                .contains("within 30 s", "--request-timeout");
        assertThat(ErrorTable.ioFailure("openai", "http://x/v1", new HttpConnectTimeoutException("connect timed out"), req, conn, KEY).getMessage())
                .contains("within 5 s", "--connect-timeout");
        assertThat(ErrorTable.ioFailure("openai", "http://x/v1", new ConnectException(), req, conn, KEY).getMessage())
                .contains("refused", "--base-url");
        ProviderException reset = ErrorTable.ioFailure("openai", "http://x/v1", new IOException("Connection reset"), req, conn, KEY);
        assertThat(reset.kind()).isEqualTo(ErrorKind.TRANSIENT);
        assertThat(reset.failure().isTransient()).isTrue();
        assertThat(reset.getMessage()).contains("Connection reset");
    }

    @Test
    void aFlexCallRefusedForCapacityIsFlexUnavailableNotTheRateLimit() {
        ProviderException e = classify(429, "{\"error\":{\"message\":\"Resource unavailable: flex processing has no capacity\","
                + "\"type\":\"resource_unavailable\",\"param\":null,\"code\":\"resource_unavailable\"}}");
        assertThat(e.failure().cause()).isEqualTo(Failure.Cause.FLEX_UNAVAILABLE);
        assertThat(e.kind()).as("not RATE_LIMITED: the provider is not paused for it").isEqualTo(ErrorKind.TRANSIENT);
        assertThat(e.failure().usesAnAttempt()).isFalse();
        assertThat(e.failure().countedByProvider()).isFalse();
    }

    @Test
    void theEnqueuedTokenLimitIsAWaitNotARefusal() {
        ProviderException e = classify(400, "{\"error\":{\"message\":\"Enqueued token limit reached for gpt-4o-mini in organization"
                + " org-x. Limit: 2,000,000 enqueued tokens.\",\"type\":\"invalid_request_error\",\"param\":null,"
                + "\"code\":\"token_limit_exceeded\"}}");
        assertThat(e.failure().cause()).isEqualTo(Failure.Cause.ENQUEUED_TOKENS_FULL);
        assertThat(e.failure().isTransient()).isTrue();
        assertThat(e.failure().usesAnAttempt()).isFalse();
    }

    @Test
    void anthropicsCreditBalanceTooLowIsQuotaExhausted() {
        ProviderException e = ErrorTable.classify("anthropic", 400, headers(), "{\"type\":\"error\",\"error\":{\"type\":"
                + "\"invalid_request_error\",\"message\":\"Your credit balance is too low to access the Anthropic API.\"}}",
                NOW, HINT, KEY);
        assertThat(e.failure().cause()).isEqualTo(Failure.Cause.QUOTA_EXHAUSTED);
    }
}
