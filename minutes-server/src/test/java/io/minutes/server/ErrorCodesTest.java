package io.minutes.server;

import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.read.ListAppender;
import com.fasterxml.jackson.databind.JsonNode;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.slf4j.LoggerFactory;

import java.io.InputStream;
import java.io.OutputStream;
import java.net.Socket;
import java.net.http.HttpRequest;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.time.Duration;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * The error codes that have no home in the endpoint tests, each provoked for real over HTTP: every
 * one is problem+json with its stable code, and nothing is stored for a refused request.
 */
class ErrorCodesTest {
    private static final String BATCH = "/api/v1/meetings/batch";

    @TempDir
    Path dir;
    TestService svc;

    @AfterEach
    void stop() {
        if (svc != null) svc.close();
    }

    private static void assertProblem(TestService.Answer answer, int status, String code) {
        assertThat(answer.status()).as(answer.body()).isEqualTo(status);
        assertThat(answer.header("Content-Type")).startsWith("application/problem+json");
        assertThat(answer.json().path("code").asText()).isEqualTo(code);
        assertThat(answer.json().path("status").asInt()).isEqualTo(status);
    }

    /** Sends bytes no HTTP client would (a broken chunk, an invalid URI) and returns the raw answer. */
    private String raw(String request) throws Exception {
        try (Socket socket = new Socket("127.0.0.1", svc.server.port())) {
            socket.setSoTimeout(30_000);
            OutputStream out = socket.getOutputStream();
            out.write(request.getBytes(StandardCharsets.ISO_8859_1));
            out.flush();
            socket.shutdownOutput();
            try (InputStream in = socket.getInputStream()) {
                return new String(in.readAllBytes(), StandardCharsets.UTF_8);
            }
        }
    }

    private static JsonNode rawProblem(String answer, int status, String code) throws Exception {
        assertThat(answer).startsWith("HTTP/1.1 " + status + " ");
        assertThat(answer).containsIgnoringCase("Content-Type: application/problem+json");
        JsonNode problem = TestService.JSON.readTree(answer.substring(answer.indexOf("\r\n\r\n") + 4));
        assertThat(problem.path("code").asText()).isEqualTo(code);
        assertThat(problem.path("status").asInt()).isEqualTo(status);
        return problem;
    }

    @Test
    void aServerFailureIsA500WithAnIdThatIsInTheLogAndNoInternalsInTheAnswer() throws Exception {
        svc = new TestService(dir);
        String id = svc.post(BATCH, TestService.batchOf("Release sync")).json().path("batch_id").asText();
        JsonNode batch = await().atMost(Duration.ofSeconds(30)).until(() -> svc.get(BATCH + "/" + id).json(),
                b -> b.path("status").asText().equals("completed"));
        String meetingId = batch.path("results").get(0).path("meeting_id").asText();
        // a row damaged outside the service (by hand, a disk error): its stored minutes cannot be read back
        try (Connection c = DriverManager.getConnection("jdbc:sqlite:" + dir.resolve("minutes.db"));
             PreparedStatement damage = c.prepareStatement("UPDATE meetings SET analysis_json = '{\"summary\": ' WHERE id = ?")) {
            damage.setString(1, meetingId);
            assertThat(damage.executeUpdate()).isEqualTo(1);
        }
        Logger serverLog = (Logger) LoggerFactory.getLogger(MinutesServer.class);
        ListAppender<ILoggingEvent> logged = new ListAppender<>();
        logged.start();
        serverLog.addAppender(logged);
        try {
            var failed = svc.get("/api/v1/meetings/" + meetingId);

            assertProblem(failed, 500, "INTERNAL");
            String errorId = failed.json().path("error_id").asText();
            assertThat(errorId).matches("err_[0-9a-f]{16}");
            assertThat(failed.json().path("detail").asText()).contains(errorId);
            assertThat(failed.body()).doesNotContain("Exception", "\tat ", "io.minutes", "JSON is unreadable",
                    "minutes.db", dir.toString(), "summary");
            ILoggingEvent event = logged.list.stream().filter(e -> e.getFormattedMessage().contains(errorId)).findFirst().orElseThrow();
            assertThat(event.getLevel()).isEqualTo(ch.qos.logback.classic.Level.ERROR);
            assertThat(event.getFormattedMessage()).contains("GET /api/v1/meetings/" + meetingId, "unreadable");
            assertThat(event.getThrowableProxy()).as("the stack trace is logged").isNotNull();
        } finally {
            serverLog.detachAppender(logged);
        }
        assertThat(svc.get(BATCH + "/" + id).status()).as("the rest of the service goes on").isEqualTo(200);
    }

    @Test
    void aMalformedMultipartBodyIsA400InvalidMultipart() throws Exception {
        svc = new TestService(dir);
        var noBoundaryInBody = svc.send(svc.request(BATCH + "/upload")
                .header("Content-Type", "multipart/form-data; boundary=abc123")
                .POST(HttpRequest.BodyPublishers.ofString("this is not a multipart body at all")).build());
        assertProblem(noBoundaryInBody, 400, "INVALID_MULTIPART");
        assertThat(noBoundaryInBody.json().path("detail").asText()).contains("multipart/form-data").doesNotContain("org.eclipse");

        var truncated = svc.send(svc.request(BATCH + "/upload")
                .header("Content-Type", "multipart/form-data; boundary=abc123")
                .POST(HttpRequest.BodyPublishers.ofString("--abc123\r\nContent-Disposition: form-data; name=\"files\"; "
                        + "filename=\"a.vtt\"\r\n\r\nWEBVTT\n\n00:00:01.000 --> 00:00:02.000\nhel")).build());
        assertProblem(truncated, 400, "INVALID_MULTIPART");

        var noBoundaryParameter = svc.send(svc.request(BATCH + "/upload").header("Content-Type", "multipart/form-data")
                .POST(HttpRequest.BodyPublishers.ofString("x")).build());
        assertProblem(noBoundaryParameter, 400, "INVALID_MULTIPART");

        var json = svc.post(BATCH + "/upload", TestService.batchOf("a"));
        assertProblem(json, 400, "INVALID_MULTIPART");
        assertThat(json.json().path("detail").asText()).contains("application/json", "/api/v1/meetings/batch");

        assertThat(svc.get(BATCH).json().path("batches")).as("nothing stored").isEmpty();
    }

    @Test
    void aBodyThatEndsBeforeItShouldIsA400UnreadableBody() throws Exception {
        svc = new TestService(dir);
        String brokenChunk = raw("POST " + BATCH + " HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Type: application/json\r\n"
                + "Transfer-Encoding: chunked\r\nConnection: close\r\n\r\nzz\r\n{}\r\n0\r\n\r\n");
        rawProblem(brokenChunk, 400, "UNREADABLE_BODY");

        String shortBody = raw("POST " + BATCH + " HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Type: application/json\r\n"
                + "Content-Length: 500\r\nConnection: close\r\n\r\n{\"meetings\": [");
        rawProblem(shortBody, 400, "UNREADABLE_BODY");
        assertThat(svc.get(BATCH).json().path("batches")).as("nothing stored").isEmpty();
    }

    /** Regression: a JSON body sent without Content-Length (chunked) was read whole, whatever its size, and stored. */
    @Test
    void aChunkedJsonBodyOverTheLimitIsA413WithoutBeingReadWhole() throws Exception {
        svc = new TestService(dir.resolve("small"), 1_000, 64 * 1024, 10_000, Duration.ofSeconds(5));
        byte[] body = TestService.batchOf("a".repeat(100_000)).getBytes(StandardCharsets.UTF_8);
        var chunked = svc.send(svc.request(BATCH).header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofInputStream(() -> new java.io.ByteArrayInputStream(body))).build());

        assertProblem(chunked, 413, "PAYLOAD_TOO_LARGE");
        assertThat(chunked.json().path("limit").asLong()).isEqualTo(64 * 1024);
        var process = svc.send(svc.request("/api/v1/meetings/process").header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofInputStream(() -> new java.io.ByteArrayInputStream(body))).build());
        assertProblem(process, 413, "PAYLOAD_TOO_LARGE");
        assertThat(svc.get(BATCH).json().path("batches")).as("nothing stored").isEmpty();
    }

    @Test
    void requestsJettyRefusesBeforeTheApiAreProblemJsonToo() throws Exception {
        svc = new TestService(dir);
        String badUri = raw("GET " + BATCH + "/%zz HTTP/1.1\r\nHost: 127.0.0.1\r\nConnection: close\r\n\r\n");
        rawProblem(badUri, 400, "MALFORMED_REQUEST");

        var hugeHeader = svc.get(BATCH, "X-Padding", "a".repeat(20_000));
        assertProblem(hugeHeader, 431, "HEADERS_TOO_LARGE");

        var hugeUri = svc.get(BATCH + "/batch_" + "a".repeat(20_000));
        assertProblem(hugeUri, 414, "URI_TOO_LONG");
    }

    @Test
    void uploadsAndRetriesOverTheQueueBoundAre503AtCapacity() throws Exception {
        svc = new TestService(dir, 1_000, 10_000_000, 1, Duration.ofSeconds(5));
        String failing = svc.post(BATCH, TestService.batchOf("fail once")).json().path("batch_id").asText();
        await().atMost(Duration.ofSeconds(30)).until(() -> svc.get(BATCH + "/" + failing).json().path("failed").asInt() == 1);
        svc.gate.close(); // the engine takes 4 meetings at once; they wait at the gate and a fifth stays queued
        for (int i = 0; i < 5; i++) {
            assertThat(svc.post(BATCH, TestService.batchOf("m" + i)).status()).isEqualTo(202);
            int submitted = i + 1;
            await().atMost(Duration.ofSeconds(10)).until(() -> {
                JsonNode capacity = svc.get("/api/v1/capacity").json();
                return capacity.path("active").asInt() + capacity.path("queued").asInt() == submitted;
            });
        }
        assertThat(svc.get("/api/v1/capacity").json().path("queued").asInt()).isEqualTo(1);

        var retry = svc.post(BATCH + "/" + failing + "/retry", "");
        assertProblem(retry, 503, "AT_CAPACITY");
        assertThat(retry.header("Retry-After")).isNotBlank();
        assertThat(svc.get(BATCH + "/" + failing).json().path("failed").asInt()).as("not requeued").isEqualTo(1);

        Path file = dir.resolve("Standup.txt");
        Files.writeString(file, TestService.TRANSCRIPT);
        var upload = svc.send(Multipart.of(svc.request(BATCH + "/upload"), List.of(file), null, null));
        assertProblem(upload, 503, "AT_CAPACITY");
        assertThat(upload.json().path("limit").asInt()).isEqualTo(1);
        assertThat(svc.get(BATCH + "?limit=100").json().path("batches")).as("no batch for the refused upload").hasSize(6);
        svc.gate.open();
    }
}
