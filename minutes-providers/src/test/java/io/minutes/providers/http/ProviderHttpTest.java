package io.minutes.providers.http;

import com.github.tomakehurst.wiremock.WireMockServer;
import com.github.tomakehurst.wiremock.http.Fault;
import io.minutes.core.domain.RateLimitSnapshot;
import io.minutes.core.port.RateLimitObserver;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.net.URI;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;

import static com.github.tomakehurst.wiremock.client.WireMock.aResponse;
import static com.github.tomakehurst.wiremock.client.WireMock.equalTo;
import static com.github.tomakehurst.wiremock.client.WireMock.equalToJson;
import static com.github.tomakehurst.wiremock.client.WireMock.post;
import static com.github.tomakehurst.wiremock.client.WireMock.postRequestedFor;
import static com.github.tomakehurst.wiremock.client.WireMock.urlEqualTo;
import static com.github.tomakehurst.wiremock.core.WireMockConfiguration.options;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

/** The shared HTTP helper over real HTTP against WireMock. */
class ProviderHttpTest {
    private static final String KEY = "sk-proj-secret-key-42";
    /** A chat completion as OpenAI's reference shows it. */
    static final String CHAT_ANSWER = """
            {"id": "chatcmpl-B9MBs8CjcvOU2jLn4n570S5qMJKcT", "object": "chat.completion", "created": 1741569952,
             "model": "gpt-4.1-2025-04-14",
             "choices": [{"index": 0, "message": {"role": "assistant", "content": "Hello! How can I assist you today?",
                          "refusal": null, "annotations": []}, "logprobs": null, "finish_reason": "stop"}],
             "usage": {"prompt_tokens": 19, "completion_tokens": 10, "total_tokens": 29}}
            """;
    private static WireMockServer server;
    private final Recorder recorder = new Recorder();
    private ProviderHttp http;

    @BeforeAll
    static void start() {
        server = new WireMockServer(options().dynamicPort());
        server.start();
    }

    @AfterAll
    static void stop() {
        server.stop();
    }

    @BeforeEach
    void reset() {
        server.resetAll();
        http = new ProviderHttp("openai", KEY, "set OPENAI_API_KEY or --api-key-env",
                new ProviderHttp.Timeouts(Duration.ofSeconds(2), Duration.ofSeconds(2)), recorder, Clock.systemUTC());
    }

    private URI uri() {
        return URI.create(server.baseUrl() + "/v1/chat/completions");
    }

    @Test
    void postsJsonWithHeadersAndReportsRateLimitHeaders() throws Exception {
        server.stubFor(post("/v1/chat/completions").willReturn(aResponse().withStatus(200)
                .withHeader("content-type", "application/json")
                .withHeader("x-ratelimit-limit-requests", "500").withHeader("x-ratelimit-remaining-requests", "499")
                .withHeader("x-ratelimit-reset-requests", "120ms")
                .withBody("{\"ok\":true}")));

        ProviderHttp.Response r = http.postJson(uri(), Map.of("authorization", "Bearer " + KEY), Map.of("model", "m"));

        assertThat(r.json().get("ok").asBoolean()).isTrue();
        assertThat(r.headers().firstValue("x-ratelimit-limit-requests")).contains("500");
        server.verify(postRequestedFor(urlEqualTo("/v1/chat/completions"))
                .withHeader("authorization", equalTo("Bearer " + KEY))
                .withHeader("content-type", equalTo("application/json"))
                .withRequestBody(equalToJson("{\"model\":\"m\"}")));
        assertThat(recorder.snapshots).singleElement().satisfies(s -> {
            assertThat(s.requestsRemaining()).isEqualTo(499);
            assertThat(s.requestsReset()).isEqualTo(Duration.ofMillis(120));
        });
    }

    @Test
    void a429IsReportedToTheObserverWithItsDelay() {
        server.stubFor(post("/v1/chat/completions").willReturn(aResponse().withStatus(429)
                .withHeader("retry-after-ms", "2500")
                .withBody("{\"error\":{\"message\":\"Rate limit reached\",\"type\":\"requests\",\"param\":null,\"code\":\"rate_limit_exceeded\"}}")));

        ProviderException e = catchThrowableOfType(ProviderException.class, () -> http.postJson(uri(), Map.of(), Map.of()));

        assertThat(e.kind()).isEqualTo(ErrorKind.RATE_LIMITED);
        assertThat(e.retryAfter()).isEqualTo(Duration.ofMillis(2500));
        assertThat(recorder.rateLimited).containsExactly(Duration.ofMillis(2500));
    }

    @Test
    void afterA401NoFurtherRequestIsSent() {
        server.stubFor(post("/v1/chat/completions").willReturn(aResponse().withStatus(401)
                .withBody("{\"error\":{\"message\":\"Incorrect API key provided: " + KEY + "\",\"type\":\"invalid_request_error\",\"param\":null,\"code\":\"invalid_api_key\"}}")));

        ProviderException first = catchThrowableOfType(ProviderException.class, () -> http.postJson(uri(), Map.of(), Map.of()));
        ProviderException second = catchThrowableOfType(ProviderException.class, () -> http.postJson(uri(), Map.of(), Map.of()));

        assertThat(first.kind()).isEqualTo(ErrorKind.AUTHENTICATION);
        assertThat(second.kind()).isEqualTo(ErrorKind.AUTHENTICATION);
        assertThat(second.failure().isTransient()).isFalse();
        assertThat(second.getMessage()).startsWith("not sent: ").contains("OPENAI_API_KEY").doesNotContain(KEY);
        server.verify(1, postRequestedFor(urlEqualTo("/v1/chat/completions")));
    }

    @Test
    void aSlowServerIsATransientTimeoutNamingTheSetting() {
        server.stubFor(post("/v1/chat/completions").willReturn(aResponse().withStatus(200).withFixedDelay(6000).withBody("{}")));

        assertThatThrownBy(() -> http.postJson(uri(), Map.of(), Map.of()))
                .isInstanceOfSatisfying(ProviderException.class, e -> {
                    assertThat(e.kind()).isEqualTo(ErrorKind.TRANSIENT);
                    assertThat(e.getMessage()).contains("--request-timeout");
                });
    }

    @Test
    void aProviderThatStallsMidBodyNoLongerHoldsTheCallPastTheRequestTimeout() throws Exception {
        try (StallingHttpServer stalling = StallingHttpServer.stallingMidBody(CHAT_ANSWER)) {
            ProviderHttp oneSecond = new ProviderHttp("openai", KEY, "set OPENAI_API_KEY",
                    new ProviderHttp.Timeouts(Duration.ofSeconds(2), Duration.ofSeconds(1)), recorder, Clock.systemUTC());
            URI chat = URI.create(stalling.baseUrl() + "/v1/chat/completions");

            ProviderException e = assertTimeoutPreemptively(Duration.ofSeconds(20), () ->
                    catchThrowableOfType(ProviderException.class, () -> oneSecond.postJson(chat, Map.of(), Map.of("model", "m"))));

            assertThat(e.kind()).isEqualTo(ErrorKind.TRANSIENT);
            assertThat(e.getMessage()).contains("within 1 s (--request-timeout)");
            assertThat(stalling.requests()).isEqualTo(1);
            await().atMost(Duration.ofSeconds(10)).until(() -> stalling.clientsGone() == 1); // the connection is closed, not left open
        }
    }

    @Test
    void aProviderThatDripsItsBodyNoLongerHoldsTheCallPastTheRequestTimeout() throws Exception {
        // 300 ms a byte: the whole answer would take about a minute; each byte alone comes well within the timeout
        try (StallingHttpServer dripping = StallingHttpServer.dripping(CHAT_ANSWER, Duration.ofMillis(300))) {
            ProviderHttp oneSecond = new ProviderHttp("openai", KEY, "set OPENAI_API_KEY",
                    new ProviderHttp.Timeouts(Duration.ofSeconds(2), Duration.ofSeconds(1)), recorder, Clock.systemUTC());
            URI chat = URI.create(dripping.baseUrl() + "/v1/chat/completions");

            ProviderException e = assertTimeoutPreemptively(Duration.ofSeconds(20), () ->
                    catchThrowableOfType(ProviderException.class, () -> oneSecond.postJson(chat, Map.of(), Map.of("model", "m"))));

            assertThat(e.kind()).isEqualTo(ErrorKind.TRANSIENT);
            assertThat(e.getMessage()).contains("--request-timeout");
            await().atMost(Duration.ofSeconds(10)).until(() -> dripping.clientsGone() == 1);
        }
    }

    @Test
    void aResetConnectionIsTransient() {
        server.stubFor(post("/v1/chat/completions").willReturn(aResponse().withFault(Fault.CONNECTION_RESET_BY_PEER)));

        assertThatThrownBy(() -> http.postJson(uri(), Map.of(), Map.of()))
                .isInstanceOfSatisfying(ProviderException.class, e -> assertThat(e.kind()).isEqualTo(ErrorKind.TRANSIENT));
    }

    @Test
    void aGarbledSuccessBodyIsTransient() {
        server.stubFor(post("/v1/chat/completions").willReturn(aResponse().withStatus(200).withBody("{\"choices\": [")));

        assertThatThrownBy(() -> http.postJson(uri(), Map.of(), Map.of()).json())
                .isInstanceOfSatisfying(ProviderException.class, e -> assertThat(e.failure().isTransient()).isTrue());
    }

    static final class Recorder implements RateLimitObserver {
        final List<RateLimitSnapshot> snapshots = new CopyOnWriteArrayList<>();
        final List<Duration> rateLimited = new CopyOnWriteArrayList<>();

        @Override
        public void observed(String provider, RateLimitSnapshot snapshot) {
            snapshots.add(snapshot);
        }

        @Override
        public void rateLimited(String provider, Duration retryAfter) {
            rateLimited.add(retryAfter);
        }
    }
}
