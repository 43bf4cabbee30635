package io.minutes.server;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.net.http.HttpRequest;
import java.nio.file.Path;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Requests as browsers send them, over real HTTP: a write from a page of another origin is refused,
 * the UI's own and a program's are not, JSON must say it is JSON, and every answer carries the headers
 * that keep the UI from being framed or sniffed. (WebUiBrowserTest makes the same attack in Chromium.)
 */
class CrossSiteWritesTest {
    private static final String BATCH = "/api/v1/meetings/batch";

    @TempDir
    Path dir;
    TestService svc;

    @BeforeEach
    void start() throws Exception {
        svc = new TestService(dir);
    }

    @AfterEach
    void stop() {
        svc.close();
    }

    private String self() {
        return "http://127.0.0.1:" + svc.server.port();
    }

    private int batches() throws Exception {
        return svc.get(BATCH).json().path("batches").size();
    }

    @Test
    void aWriteFromAnotherOriginWasAcceptedWithoutApiKeys() throws Exception {
        for (String[] headers : List.of(
                new String[]{"Origin", "http://evil.example"},
                new String[]{"Origin", "http://127.0.0.1:1"},
                new String[]{"Origin", "null"},
                new String[]{"Sec-Fetch-Site", "cross-site", "Origin", "http://evil.example"},
                new String[]{"Sec-Fetch-Site", "same-site", "Origin", "http://127.0.0.1:1"})) {
            var refused = svc.post(BATCH, TestService.batchOf("planted"), headers);
            assertThat(refused.status()).as(String.join(" ", headers)).isEqualTo(403);
            assertThat(refused.json().path("code").asText()).isEqualTo("CROSS_SITE_REQUEST");
            var upload = svc.send(Multipart.named(svc.request(BATCH + "/upload", headers), "planted.txt",
                    TestService.transcriptAbout("planted").getBytes()));
            assertThat(upload.status()).as("upload " + String.join(" ", headers)).isEqualTo(403);
        }
        assertThat(svc.get(BATCH, "Origin", "http://evil.example").status()).as("reads are not writes").isEqualTo(200);
        assertThat(batches()).isZero();
    }

    @Test
    void theUisOwnRequestsAndProgramsStillWrite() throws Exception {
        assertThat(svc.post(BATCH, TestService.batchOf("ui"), "Origin", self(), "Sec-Fetch-Site", "same-origin").status()).isEqualTo(202);
        assertThat(svc.post(BATCH, TestService.batchOf("older browser"), "Origin", self()).status()).isEqualTo(202);
        assertThat(svc.post(BATCH, TestService.batchOf("curl")).status()).isEqualTo(202);
        assertThat(batches()).isEqualTo(3);
    }

    @Test
    void aJsonBodySentAsTextPlainWasAccepted() throws Exception {
        for (String type : List.of("text/plain", "application/x-www-form-urlencoded")) {
            var refused = svc.send(svc.request(BATCH).header("Content-Type", type)
                    .POST(HttpRequest.BodyPublishers.ofString(TestService.batchOf("planted"))).build());
            assertThat(refused.status()).as(type).isEqualTo(415);
            assertThat(refused.json().path("code").asText()).isEqualTo("UNSUPPORTED_MEDIA_TYPE");
            assertThat(refused.json().path("detail").asText()).contains("Content-Type: application/json", type);
        }
        assertThat(svc.post(BATCH, TestService.batchOf("charset"), "Content-Type", "application/json; charset=utf-8").status()).isEqualTo(202);
        assertThat(batches()).isEqualTo(1);
    }

    @Test
    void theUiWasServedWithoutFramingSniffingOrScriptPolicies() throws Exception {
        for (String path : List.of("/", "/app.js", "/api/v1/health", BATCH + "/batch_nope")) {
            var answer = svc.get(path);
            assertThat(answer.header("Content-Security-Policy")).as(path).contains("default-src 'self'", "frame-ancestors 'none'")
                    .doesNotContain("unsafe-inline", "unsafe-eval");
            assertThat(answer.header("X-Frame-Options")).as(path).isEqualTo("DENY");
            assertThat(answer.header("X-Content-Type-Options")).as(path).isEqualTo("nosniff");
            assertThat(answer.header("Referrer-Policy")).as(path).isEqualTo("no-referrer");
        }
    }
}
