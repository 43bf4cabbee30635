package io.minutes.app;

import io.minutes.core.engine.InProcessStoreEvents;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import io.minutes.core.domain.Meeting;
import io.minutes.core.domain.MeetingState;
import io.minutes.core.port.MeetingStore;
import io.minutes.store.sqlite.SqliteMeetingStore;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicInteger;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Before (issues 14 and 19): a meeting analysed in parts whose third part was refused with a 429, or failed
 * with a 5xx, went back to the queue, and its next try asked the provider again for parts 1 and 2, which
 * were already answered and paid for. Now a later call of a meeting is sent again in place, and the parts
 * answered are held on the node for a try that still has to come back: the provider answers each part, and
 * the merge, exactly once.
 */
class AnsweredPartsAreNotPaidTwiceTest {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final String KEY = "sk-parts-test-0123456789";
    private static final String THIRD_PART = "This is part 3 of ";

    @TempDir
    Path work;

    @Test
    void aThirdPartRefusedWith429IsAskedAgainAloneAndCostsNoAttempt() throws Exception {
        try (PartCountingOpenAiProvider provider = new PartCountingOpenAiProvider(429, 1)) {
            Meeting meeting = runOneLongMeeting(provider);

            assertEachPromptAnsweredOnce(provider);
            assertThat(provider.failed()).as("the one refusal").isEqualTo(1);
            assertThat(meeting.attempts()).as("a 429 uses no attempt").hasSize(1);
            assertThat(meeting.attempts().getFirst().succeeded()).isTrue();
        }
    }

    @Test
    void aThirdPartFailingWith500IsAskedAgainAloneAndCostsNoAttempt() throws Exception {
        try (PartCountingOpenAiProvider provider = new PartCountingOpenAiProvider(500, 1)) {
            Meeting meeting = runOneLongMeeting(provider);

            assertEachPromptAnsweredOnce(provider);
            assertThat(provider.failed()).isEqualTo(1);
            assertThat(meeting.attempts()).hasSize(1);
        }
    }

    /** More 5xx than are retried in place: the meeting's next attempt asks only what was not answered. */
    @Test
    void aThirdPartFailingPastTheRetriesInPlaceLeavesTheAnsweredPartsHeldForTheNextAttempt() throws Exception {
        try (PartCountingOpenAiProvider provider = new PartCountingOpenAiProvider(500, 4)) {
            Meeting meeting = runOneLongMeeting(provider);

            int calls = assertEachPromptAnsweredOnce(provider);
            assertThat(meeting.usage().inputTokens()).as("the parts answered on the first attempt counted once, on the one that completed")
                    .isEqualTo(300L * calls);
            assertThat(meeting.usage().outputTokens()).isEqualTo(120L * calls);
            assertThat(provider.failed()).isEqualTo(4);
            assertThat(meeting.attempts()).as("the first attempt gave up after 1 + 3 tries in place").hasSize(2);
            assertThat(meeting.attempts().getFirst().failure().message()).contains("500");
            assertThat(meeting.attempts().getLast().succeeded()).isTrue();
        }
    }

    private Meeting runOneLongMeeting(PartCountingOpenAiProvider provider) throws Exception {
        Path in = Files.createDirectories(work.resolve("in"));
        Files.writeString(in.resolve("launch.txt"), longMeeting());
        MinutesProcess.Finished run = MinutesProcess.start(work, Map.of("OPENAI_API_KEY", KEY), "run", "in",
                "--out", "out", "--db", "m.db", "--json", "--provider", "openai", "--base-url", provider.baseUrl(),
                "--model", "gpt-4o-mini", "--context-tokens", "2000", "--max-output-tokens", "256",
                "--max-attempts", "3").await(300);
        assertThat(run.exitCode()).as(run.stderr()).isZero();
        JsonNode batch = JSON.readTree(run.stdout());
        assertThat(batch.get("completed").asInt()).isEqualTo(1);
        try (MeetingStore store = SqliteMeetingStore.open(work.resolve("m.db"), new InProcessStoreEvents())) {
            Meeting meeting = store.meetingsList(batch.get("batch_id").asText()).getFirst();
            assertThat(meeting.state()).isEqualTo(MeetingState.COMPLETED);
            return meeting;
        }
    }

    /** @return the calls answered */
    private static int assertEachPromptAnsweredOnce(PartCountingOpenAiProvider provider) {
        Map<String, Integer> answered = provider.answeredPerPrompt();
        long parts = answered.keySet().stream().filter(p -> p.contains("The transcript is too long for one request")).count();
        long merges = answered.keySet().stream().filter(p -> p.contains("consecutive parts")).count();
        assertThat(parts).as("split into at least 3 parts: " + answered.keySet()).isGreaterThanOrEqualTo(3);
        assertThat(merges).isEqualTo(1);
        assertThat(answered).as("N parts + 1 merge, each answered (and paid) once").hasSize((int) parts + 1)
                .allSatisfy((prompt, times) -> assertThat(times).as(prompt.lines().skip(1).findFirst().orElse(prompt)).isEqualTo(1));
        return answered.size();
    }

    /** About 3,000 tokens of turns, over three times what a 2,000-token context takes with its answer. */
    private static String longMeeting() {
        String[] speakers = {"Alice", "Bob", "Carol"};
        StringBuilder text = new StringBuilder();
        for (int i = 0; i < 120; i++) {
            text.append(speakers[i % 3]).append(": In the launch meeting we went through item ").append(i + 1)
                    .append(" of the launch checklist and agreed who follows it up.\n");
        }
        return text.toString();
    }

    /**
     * OpenAI's chat completions endpoint, counting the answers it gave to each distinct prompt (what it bills),
     * and failing the first {@code failures} requests for the third part of a transcript with {@code status}:
     * 429 as OpenAI refuses a rate limit ({@code rate_limit_exceeded}, {@code retry-after-ms}), or a 500 as
     * OpenAI's server errors read (no retry-after).
     */
    private static final class PartCountingOpenAiProvider implements AutoCloseable {
        private final HttpServer server;
        private final int status;
        private final int failures;
        private final AtomicInteger failed = new AtomicInteger();
        private final Map<String, AtomicInteger> answered = new ConcurrentHashMap<>();

        PartCountingOpenAiProvider(int status, int failures) throws IOException {
            this.status = status;
            this.failures = failures;
            this.server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 50);
            server.setExecutor(Executors.newVirtualThreadPerTaskExecutor());
            server.createContext("/v1/chat/completions", this::complete);
            server.start();
        }

        String baseUrl() {
            return "http://127.0.0.1:" + server.getAddress().getPort() + "/v1";
        }

        int failed() {
            return failed.get();
        }

        Map<String, Integer> answeredPerPrompt() {
            Map<String, Integer> counts = new TreeMap<>();
            answered.forEach((prompt, n) -> counts.put(prompt, n.get()));
            return counts;
        }

        private void complete(HttpExchange exchange) throws IOException {
            try (exchange) {
                String prompt = userPrompt(JSON.readTree(exchange.getRequestBody().readAllBytes()));
                if (prompt.contains(THIRD_PART) && failed.get() < failures) {
                    failed.incrementAndGet();
                    ObjectNode error = JSON.createObjectNode();
                    if (status == 429) {
                        exchange.getResponseHeaders().set("retry-after-ms", "300");
                        error.putObject("error").put("message", "Rate limit reached for gpt-4o-mini in organization org-test on "
                                        + "requests per min (RPM): Limit 3, Used 3, Requested 1. Please try again in 300ms.")
                                .put("type", "requests").putNull("param").put("code", "rate_limit_exceeded");
                    } else {
                        error.putObject("error").put("message", "The server had an error while processing your request. Sorry about that!")
                                .put("type", "server_error").putNull("param").putNull("code");
                    }
                    answer(exchange, status, error.toString());
                    return;
                }
                answered.computeIfAbsent(prompt, p -> new AtomicInteger()).incrementAndGet();
                ObjectNode completion = JSON.createObjectNode();
                completion.put("id", "chatcmpl-parts").put("object", "chat.completion").put("created", 1764072000L)
                        .put("model", "gpt-4o-mini");
                ObjectNode choice = completion.putArray("choices").addObject().put("index", 0).put("finish_reason", "stop");
                choice.putObject("message").put("role", "assistant").put("content", ProviderRunTest.minutes().toString())
                        .putNull("refusal");
                completion.putObject("usage").put("prompt_tokens", 300).put("completion_tokens", 120).put("total_tokens", 420);
                answer(exchange, 200, completion.toString());
            }
        }

        private static String userPrompt(JsonNode request) {
            StringBuilder user = new StringBuilder();
            for (JsonNode message : request.path("messages")) {
                if ("user".equals(message.path("role").asText())) user.append(message.path("content").asText());
            }
            return user.toString();
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
