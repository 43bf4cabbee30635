package io.minutes.app;

import io.minutes.core.testing.TestEngine;
import io.minutes.store.TestBatches;
import io.minutes.core.engine.InProcessStoreEvents;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import io.minutes.core.domain.Attempt;
import io.minutes.core.domain.Batch;
import io.minutes.core.domain.Failure;
import io.minutes.core.domain.Meeting;
import io.minutes.core.domain.MeetingState;
import io.minutes.core.domain.Segment;
import io.minutes.core.domain.Transcript;
import io.minutes.core.engine.Dispatcher;
import io.minutes.core.engine.EngineSettings;
import io.minutes.core.engine.RetryPolicy;
import io.minutes.core.engine.WorkerId;
import io.minutes.core.port.AnalyzerException;
import io.minutes.core.port.EventSink;
import io.minutes.core.port.MeetingStore;
import io.minutes.core.port.BatchStore;
import io.minutes.store.sqlite.SqliteMeetingStore;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicInteger;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/** A 429 never costs a meeting one of its attempts; a provider that never stops refusing is bounded by time. */
class RateLimitedMeetingTest {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final String KEY = "sk-refusing-test-0123456789";

    @TempDir
    Path work;

    /** Must show (issue 19): before, the third 429 failed the meeting although each time it waited what was asked. */
    @Test
    void aMeetingRefusedWith429TwentyTimesInARowCompletesWithMaxAttempts3() throws Exception {
        Path in = Files.createDirectories(work.resolve("in"));
        Files.writeString(in.resolve("planning.txt"), TestTranscripts.text(1));

        try (RefusingOpenAiProvider provider = new RefusingOpenAiProvider(20, Duration.ofMillis(50))) {
            // --rpm: the throttle knows the limit, so it does not learn one from the refusals (what it does
            // then is the throttle's business, not this test's)
            MinutesProcess.Finished run = MinutesProcess.start(work, Map.of("OPENAI_API_KEY", KEY), "run", "in",
                    "--out", "out", "--db", "m.db", "--json", "--provider", "openai", "--base-url", provider.baseUrl(),
                    "--model", "gpt-4o-mini", "--rpm", "6000", "--max-attempts", "3").await(300);

            assertThat(run.exitCode()).as(run.stderr()).isZero();
            JsonNode batch = JSON.readTree(run.stdout());
            assertThat(batch.get("completed").asInt()).isEqualTo(1);
            assertThat(provider.calls()).as("20 refusals, then the answer").isEqualTo(21);
            try (MeetingStore store = SqliteMeetingStore.open(work.resolve("m.db"), new InProcessStoreEvents())) {
                Meeting meeting = store.meetingsList(batch.get("batch_id").asText()).getFirst();
                assertThat(meeting.state()).isEqualTo(MeetingState.COMPLETED);
                assertThat(meeting.attempts()).hasSize(21);
                assertThat(meeting.attempts().subList(0, 20)).allSatisfy(a -> assertThat(a.failure().message()).contains("429"));
                assertThat(meeting.attempts().getLast().succeeded()).isTrue();
            }
        }
    }

    @Test
    void aProviderThatKeepsRefusingAMeetingFailsItOnceItRefusedForTheWholeBoundSayingSo() {
        AtomicInteger calls = new AtomicInteger();
        EngineTest.ScriptedAnalyzer alwaysRefused = new EngineTest.ScriptedAnalyzer(request -> {
            calls.incrementAndGet();
            throw new AnalyzerException(Failure.rateLimited("openai answered HTTP 429 Too Many Requests", Duration.ofMillis(20)));
        });
        RetryPolicy retries = RetryPolicy.builder().maxAttempts(3).maxRateLimitedFor(Duration.ofMillis(600)).build();
        try (MeetingStore store = SqliteMeetingStore.open(work.resolve("m.db"), new InProcessStoreEvents());
             Dispatcher dispatcher = TestEngine.dispatcher(store, TestEngine.pipeline(alwaysRefused),
                     new EngineSettings(1, Duration.ofSeconds(30), Duration.ofMillis(50)), retries, Clock.systemUTC(),
                     EventSink.NONE, WorkerId.forThisProcess())) {
            Transcript transcript = new Transcript("txt", List.of(new Segment("Alice", 0.0, 5.0, "Hello there")));
            Batch batch = store.batchCreate(TestBatches.batch("key", "test", Instant.now(),
                    List.of(BatchStore.NewMeeting.ready("m.txt", "meeting", "hash", transcript))));
            dispatcher.start();

            await().atMost(Duration.ofSeconds(30)).until(() -> store.batchGet(batch.id()).orElseThrow().counts().isFinished());

            Meeting meeting = store.meetingsList(batch.id()).getFirst();
            assertThat(meeting.state()).isEqualTo(MeetingState.FAILED);
            assertThat(calls.get()).as("more calls than max-attempts: refusals used none of them").isGreaterThan(3);
            assertThat(meeting.lastFailure().message())
                    .startsWith("rate limited: the provider refused every call for this meeting for 600 ms without a break")
                    .contains("run the batch again later").contains("HTTP 429");
            assertThat(meeting.attempts()).extracting(Attempt::number).hasSize(calls.get());
        }
    }

    /**
     * OpenAI's chat completions endpoint answering the first {@code refusals} calls as OpenAI answers a
     * rate limit (429, {@code rate_limit_exceeded}, {@code retry-after-ms}), then a completion.
     */
    static final class RefusingOpenAiProvider implements AutoCloseable {
        private final HttpServer server;
        private final int refusals;
        private final Duration retryAfter;
        private final AtomicInteger calls = new AtomicInteger();

        RefusingOpenAiProvider(int refusals, Duration retryAfter) throws IOException {
            this.refusals = refusals;
            this.retryAfter = retryAfter;
            this.server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 50);
            server.setExecutor(Executors.newVirtualThreadPerTaskExecutor());
            server.createContext("/v1/chat/completions", this::complete);
            server.start();
        }

        String baseUrl() {
            return "http://127.0.0.1:" + server.getAddress().getPort() + "/v1";
        }

        int calls() {
            return calls.get();
        }

        private void complete(HttpExchange exchange) throws IOException {
            try (exchange) {
                exchange.getRequestBody().readAllBytes();
                if (calls.incrementAndGet() <= refusals) {
                    exchange.getResponseHeaders().set("retry-after-ms", String.valueOf(retryAfter.toMillis()));
                    ObjectNode error = JSON.createObjectNode();
                    error.putObject("error").put("message", "Rate limit reached for gpt-4o-mini in organization org-test on "
                                    + "requests per min (RPM): Limit 3, Used 3, Requested 1. Please try again in "
                                    + retryAfter.toMillis() + "ms.")
                            .put("type", "requests").putNull("param").put("code", "rate_limit_exceeded");
                    answer(exchange, 429, error.toString());
                    return;
                }
                ObjectNode completion = JSON.createObjectNode();
                completion.put("id", "chatcmpl-refusing").put("object", "chat.completion").put("created", 1764072000L)
                        .put("model", "gpt-4o-mini");
                ObjectNode choice = completion.putArray("choices").addObject().put("index", 0).put("finish_reason", "stop");
                choice.putObject("message").put("role", "assistant").put("content", ProviderRunTest.minutes().toString())
                        .putNull("refusal");
                completion.putObject("usage").put("prompt_tokens", 300).put("completion_tokens", 120).put("total_tokens", 420);
                answer(exchange, 200, completion.toString());
            }
        }

        private static void answer(HttpExchange exchange, int status, String json) throws IOException {
            byte[] bytes = json.getBytes(StandardCharsets.UTF_8);
            exchange.getResponseHeaders().set("content-type", "application/json");
            exchange.sendResponseHeaders(status, bytes.length);
            exchange.getResponseBody().write(bytes);
        }

        @Override
        public void close() {
            server.stop(0);
        }
    }
}
