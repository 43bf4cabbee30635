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
import io.minutes.providers.sim.MinuteLimit;
import io.minutes.store.sqlite.SqliteMeetingStore;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.Executors;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Before: transcription calls were not admitted at all, and a 429 from the transcription endpoint paused
 * nothing (issue 19). Now each file sent is admitted by the transcription service's own throttle
 * ({@code transcription-rpm}), and its 429 pauses transcription until the retry-after without costing the
 * meeting an attempt.
 */
class TranscriptionIsThrottledTest {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final int RECORDINGS = 8;
    /** A call already on its way when the 429 was answered may arrive this much later (a generous bound). */
    private static final Duration IN_FLIGHT = Duration.ofMillis(300);
    private static final Duration RETRY_AFTER = Duration.ofMillis(2_000);
    /** The upload refused with a 429: once the process is warm, so that calls on their way arrive promptly. */
    private static final int REFUSED_UPLOAD = 5;

    @TempDir
    Path work;

    @Test
    void transcriptionCallsAreSpacedByTranscriptionRpmAndA429PausesThemWithoutUsingAnAttempt() throws Exception {
        TestRecordings.assumeTools();
        Path in = Files.createDirectories(work.resolve("in"));
        for (int i = 0; i < RECORDINGS; i++) {
            TestRecordings.run("espeak-ng", "-s", "200", "-w", in.resolve("standup-" + i + ".wav").toString(),
                    "Stand-up number " + i + ". Alice will send the budget report by Friday.");
        }

        try (TranscriptionEndpoint endpoint = new TranscriptionEndpoint(240)) {
            // 8 meetings at once, 1 attempt each: without admission the 8 uploads go together and the
            // endpoint (240 RPM as 4 a second) refuses 3 of them; a 429 that used an attempt would fail its meeting
            MinutesProcess.Finished run = MinutesProcess.start(work, "run", "in", "--out", "out", "--db", "m.db", "--json",
                    "--transcriber", "openai", "--transcriber-base-url", endpoint.baseUrl(), "--transcription-rpm", "240",
                    "--rate-window", "second", "--concurrency", String.valueOf(RECORDINGS), "--max-attempts", "1").await(300);

            assertThat(run.exitCode()).as(run.stdout() + run.stderr()).isZero();
            JsonNode batch = JSON.readTree(run.stdout());
            assertThat(batch.get("completed").asInt()).as(run.stdout()).isEqualTo(RECORDINGS);
            assertThat(endpoint.refusedScripted()).as("the one scripted 429").isEqualTo(1);
            assertThat(endpoint.refusedOverLimit()).as("uploads over 240 RPM (4 a second): " + endpoint.summary()).isZero();
            assertThat(endpoint.sentInPause()).as("uploads sent after the 429 before its retry-after was over: " + endpoint.summary())
                    .isZero();
            assertThat(endpoint.served()).as("each recording transcribed once").isEqualTo(RECORDINGS);
            try (MeetingStore store = SqliteMeetingStore.open(work.resolve("m.db"), new InProcessStoreEvents())) {
                List<Meeting> meetings = store.meetingsList(batch.get("batch_id").asText());
                assertThat(meetings).allSatisfy(m -> assertThat(m.state()).isEqualTo(MeetingState.COMPLETED));
                Meeting refused = meetings.stream().filter(m -> m.attempts().size() > 1).findFirst().orElseThrow();
                assertThat(refused.attempts()).as("the 429, then the transcription and analysis").hasSize(2);
                assertThat(refused.attempts().getFirst().failure().message()).contains("429").contains("openai transcription");
                assertThat(meetings).filteredOn(m -> m.attempts().size() > 1).as("only the refused meeting tried twice").hasSize(1);
            }
        }
    }

    /**
     * OpenAI's {@code /audio/transcriptions}: a requests-per-minute limit enforced per second
     * ({@link MinuteLimit}), answered over the limit as OpenAI does (429, {@code rate_limit_exceeded},
     * {@code retry-after-ms}); the fifth upload is refused with a retry-after, and it counts the uploads
     * sent during that pause that were not already on their way when it answered.
     */
    private static final class TranscriptionEndpoint implements AutoCloseable {
        private final HttpServer server;
        private final MinuteLimit requests;
        private final List<Long> servedAtNanos = new ArrayList<>();
        private long refusedAtNanos;
        private int refusedScripted;
        private int refusedOverLimit;
        private int sentInPause;
        private int uploads;

        TranscriptionEndpoint(long requestsPerMinute) throws IOException {
            this.requests = new MinuteLimit(requestsPerMinute, System.nanoTime());
            this.server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 50);
            server.setExecutor(Executors.newVirtualThreadPerTaskExecutor());
            server.createContext("/v1/audio/transcriptions", this::transcribe);
            server.start();
        }

        String baseUrl() {
            return "http://127.0.0.1:" + server.getAddress().getPort() + "/v1";
        }

        private void transcribe(HttpExchange exchange) throws IOException {
            try (exchange) {
                exchange.getRequestBody().readAllBytes();
                Duration wait;
                synchronized (this) {
                    long now = System.nanoTime();
                    wait = refusal(now);
                    exchange.getResponseHeaders().set("x-ratelimit-limit-requests", String.valueOf(requests.perMinute()));
                    exchange.getResponseHeaders().set("x-ratelimit-remaining-requests", String.valueOf(requests.remaining(now)));
                    exchange.getResponseHeaders().set("x-ratelimit-reset-requests", requests.reset(now).toMillis() + "ms");
                }
                if (wait != null) {
                    long ms = Math.max(1, wait.toMillis());
                    exchange.getResponseHeaders().set("retry-after-ms", String.valueOf(ms));
                    ObjectNode error = JSON.createObjectNode();
                    error.putObject("error").put("message", "Rate limit reached for whisper-1 on requests per min (RPM): Limit "
                            + requests.perMinute() + ". Please try again in " + ms + "ms.")
                            .put("type", "requests").putNull("param").put("code", "rate_limit_exceeded");
                    answer(exchange, 429, error.toString());
                    return;
                }
                answer(exchange, 200, "{\"task\": \"transcribe\", \"language\": \"english\", \"duration\": 3.5, "
                        + "\"text\": \"Alice will send the budget report by Friday.\", \"segments\": [{\"id\": 0, \"start\": 0.0, "
                        + "\"end\": 3.5, \"text\": \" Alice will send the budget report by Friday.\"}]}");
            }
        }

        /** How long the caller is told to wait, or null when the upload is served. */
        private Duration refusal(long now) {
            if (++uploads == REFUSED_UPLOAD) {
                refusedScripted++;
                refusedAtNanos = now;
                return RETRY_AFTER;
            }
            if (refusedScripted > 0 && now > refusedAtNanos + IN_FLIGHT.toNanos() && now < refusedAtNanos + RETRY_AFTER.toNanos()) sentInPause++;
            long wait = requests.nanosUntil(1, now);
            if (wait > 0) {
                refusedOverLimit++;
                return Duration.ofNanos(wait);
            }
            requests.take(1);
            servedAtNanos.add(now);
            return null;
        }

        synchronized int refusedScripted() {
            return refusedScripted;
        }

        synchronized int refusedOverLimit() {
            return refusedOverLimit;
        }

        synchronized int sentInPause() {
            return sentInPause;
        }

        synchronized int served() {
            return servedAtNanos.size();
        }

        synchronized String summary() {
            List<String> gaps = new ArrayList<>();
            for (int i = 1; i < servedAtNanos.size(); i++) {
                gaps.add(String.format(Locale.ROOT, "%.2f s", (servedAtNanos.get(i) - servedAtNanos.get(i - 1)) / 1e9));
            }
            return "served " + servedAtNanos.size() + " (gaps " + gaps + "), refused: scripted " + refusedScripted
                    + ", over the limit " + refusedOverLimit + "; sent in the pause " + sentInPause;
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
