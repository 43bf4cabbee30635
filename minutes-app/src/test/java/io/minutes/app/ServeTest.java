package io.minutes.app;

import io.minutes.app.cli.ExitStatus;
import io.minutes.core.engine.InProcessStoreEvents;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.minutes.core.domain.Attempt;
import io.minutes.core.domain.Meeting;
import io.minutes.core.domain.MeetingState;
import io.minutes.core.port.MeetingStore;
import io.minutes.server.ApiKeys;
import io.minutes.store.sqlite.SqliteMeetingStore;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.zip.ZipEntry;
import java.util.zip.ZipOutputStream;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/** {@code minutes serve}, {@code submit}, {@code status} and {@code keys} as real processes talking real HTTP. */
class ServeTest {
    private static final Pattern SERVING = Pattern.compile("serving on (http://\\S+) ");
    private static final ObjectMapper JSON = new ObjectMapper();

    @TempDir
    Path work;
    private final List<MinutesProcess> started = new ArrayList<>();
    private final HttpClient http = HttpClient.newHttpClient();

    @AfterEach
    void stopAll() {
        started.forEach(p -> p.process().destroyForcibly());
    }

    private String serve(String... extra) throws Exception {
        return serveWithLatency(20, extra);
    }

    private String serveWithLatency(int simLatencyMs, String... extra) throws Exception {
        List<String> args = new ArrayList<>(List.of("serve", "--port", "0", "--db", "m.db", "--provider", "sim",
                "--sim-latency-ms", String.valueOf(simLatencyMs), "--concurrency", "5"));
        args.addAll(List.of(extra));
        MinutesProcess serve = MinutesProcess.start(work, args.toArray(String[]::new));
        started.add(serve);
        return await().atMost(Duration.ofSeconds(60)).until(() -> {
            if (!serve.process().isAlive()) throw new AssertionError("serve stopped: " + serve.stderrText());
            Matcher m = SERVING.matcher(serve.stdoutText());
            return m.find() ? m.group(1) : null;
        }, url -> url != null);
    }

    private JsonNode batch(String url, String id) throws Exception {
        HttpResponse<String> res = http.send(HttpRequest.newBuilder(URI.create(url + "/api/v1/meetings/batch/" + id)).build(),
                HttpResponse.BodyHandlers.ofString());
        return JSON.readTree(res.body());
    }

    @Test
    void aServeKilledMinus9MidBatchFinishesTheBatchAfterARestartWithNothingLostOrPaidTwice() throws Exception {
        int meetings = 300;
        TestTranscripts.writeMany(work.resolve("in"), meetings);
        String url = serveWithLatency(100); // 300 x 100 ms / 5 = 6 s: still running when submit's JVM has exited
        MinutesProcess.Finished submitted = MinutesProcess.run(work, "submit", "--server", url, "in");
        assertThat(submitted.exitCode()).as(submitted.stderr()).isZero();
        String id = submitted.stdout().strip();
        assertThat(id).startsWith("batch_");

        await().atMost(Duration.ofSeconds(60)).until(() -> batch(url, id).path("completed").asInt() >= meetings / 4);
        MinutesProcess first = started.getFirst();
        first.process().destroyForcibly(); // SIGKILL: no shutdown hook, leases left behind
        first.process().waitFor();
        Map<String, List<Attempt>> doneBeforeKill = new HashMap<>();
        try (MeetingStore observer = SqliteMeetingStore.open(work.resolve("m.db"), new InProcessStoreEvents())) {
            for (Meeting m : observer.meetingsList(id)) {
                if (m.state() == MeetingState.COMPLETED) doneBeforeKill.put(m.id(), m.attempts());
            }
            assertThat(doneBeforeKill.size()).as("killed mid-batch").isLessThan(meetings);
            assertThat(observer.leaseOwners()).as("the killed server left leases behind").isNotEmpty();
        }

        String again = serve();
        JsonNode done = await().atMost(Duration.ofSeconds(120)).until(() -> batch(again, id),
                b -> b.path("status").asText().equals("completed"));
        assertThat(done.path("completed").asInt()).isEqualTo(meetings);
        MinutesProcess.Finished status = MinutesProcess.run(work, "status", "--server", again, id);
        assertThat(status.exitCode()).as(status.stderr()).isZero();
        assertThat(status.stdout()).contains("Batch " + id + " completed: " + meetings + " completed, 0 failed");

        try (MeetingStore store = SqliteMeetingStore.open(work.resolve("m.db"), new InProcessStoreEvents())) {
            List<Meeting> all = store.meetingsList(id);
            assertThat(all).hasSize(meetings).allSatisfy(m -> {
                assertThat(m.state()).isEqualTo(MeetingState.COMPLETED);
                assertThat(m.attempts().stream().filter(Attempt::succeeded).count()).as("successful attempts of %s", m.source()).isEqualTo(1);
            });
            for (Meeting m : all) {
                if (doneBeforeKill.containsKey(m.id())) {
                    assertThat(m.attempts()).as("%s was done before the kill and never redone", m.source()).isEqualTo(doneBeforeKill.get(m.id()));
                }
            }
        }
    }

    /** One server for the client commands and keys: every process started costs seconds on a busy machine. */
    @Test
    void keysCreateThenSubmitWaitWithTheKeyUploadsAZipFollowsProgressAndStatusExplainsAMissingBatch() throws Exception {
        MinutesProcess.Finished created = MinutesProcess.run(work, "keys", "create", "--tenant", "acme", "--db", "m.db");
        assertThat(created.exitCode()).as(created.stderr()).isZero();
        String key = created.stdout().strip();
        assertThat(key).startsWith(ApiKeys.PREFIX);
        try (MeetingStore store = SqliteMeetingStore.open(work.resolve("m.db"), new InProcessStoreEvents())) {
            assertThat(store.apiKeyTenant(ApiKeys.hash(key))).contains("acme");
        }
        for (Path file : Files.list(work).filter(p -> p.getFileName().toString().startsWith("m.db")).toList()) {
            assertThat(new String(Files.readAllBytes(file), StandardCharsets.ISO_8859_1)).as("%s holds no key", file).doesNotContain(key);
        }
        Path zip = work.resolve("week.zip");
        try (ZipOutputStream out = new ZipOutputStream(Files.newOutputStream(zip))) {
            for (int i = 0; i < 3; i++) {
                out.putNextEntry(new ZipEntry("standups/day-" + i + ".txt"));
                out.write(TestTranscripts.text(i).getBytes(StandardCharsets.UTF_8));
                out.closeEntry();
            }
        }
        Files.writeString(work.resolve("Retro.txt"), TestTranscripts.text(9));
        // sensitive meetings go only to providers allowed to receive them (issue 9): sim is, for this test
        String url = serve("--allow-sensitive", "sim");

        HttpResponse<String> anonymous = http.send(HttpRequest.newBuilder(URI.create(url + "/api/v1/meetings/batch")).build(),
                HttpResponse.BodyHandlers.ofString());
        assertThat(anonymous.statusCode()).isEqualTo(401);
        MinutesProcess.Finished keyless = MinutesProcess.run(work, "submit", "--server", url, "Retro.txt");
        assertThat(keyless.stderr()).as("submit without a key says what to set").contains("set MINUTES_API_KEY", "minutes keys create");
        Map<String, String> withKey = Map.of("MINUTES_API_KEY", key);
        MinutesProcess.Finished submitted = MinutesProcess.run(work, withKey, "submit", "--server", url, "--wait",
                "--tier", "sensitive", "week.zip", "Retro.txt");
        assertThat(submitted.exitCode()).as(submitted.stderr()).isZero();
        String id = submitted.stdout().lines().findFirst().orElseThrow();
        assertThat(submitted.stdout()).contains("Batch " + id + " completed: 4 completed, 0 failed");
        assertThat(submitted.stderr()).contains("4/4");
        JsonNode batch = JSON.readTree(http.send(HttpRequest.newBuilder(URI.create(url + "/api/v1/meetings/batch/" + id))
                .header("Authorization", "Bearer " + key).build(), HttpResponse.BodyHandlers.ofString()).body());
        List<String> sources = new ArrayList<>();
        batch.path("results").forEach(r -> sources.add(r.path("source").asText()));
        assertThat(sources).containsExactly("week.zip!/standups/day-0.txt", "week.zip!/standups/day-1.txt",
                "week.zip!/standups/day-2.txt", "Retro.txt");

        Files.writeString(work.resolve("Planning.txt"), TestTranscripts.text(20));
        MinutesProcess.Finished withOptions = MinutesProcess.run(work, withKey, "submit", "--server", url,
                "--priority", "high", "--max-attempts", "2", "--budget", "0.5", "Planning.txt");
        assertThat(withOptions.exitCode()).as(withOptions.stderr()).isZero();
        JsonNode options = JSON.readTree(http.send(HttpRequest.newBuilder(URI.create(url + "/api/v1/meetings/batch/"
                        + withOptions.stdout().strip())).header("Authorization", "Bearer " + key).build(),
                HttpResponse.BodyHandlers.ofString()).body()).path("options");
        assertThat(options.path("priority").asText()).isEqualTo("high");
        assertThat(options.path("max_attempts").asInt()).isEqualTo(2);
        assertThat(options.path("budget_usd").asDouble()).isEqualTo(0.5);
        MinutesProcess.Finished badOption = MinutesProcess.run(work, withKey, "submit", "--server", url,
                "--priority", "urgent", "--budget", "-1", "Planning.txt");
        assertThat(badOption.exitCode()).isEqualTo(ExitStatus.USAGE);
        assertThat(badOption.stderr()).contains("/options/priority").contains("/options/budget_usd");

        MinutesProcess.Finished missing = MinutesProcess.run(work, withKey, "status", "--server", url, "batch_nope");
        assertThat(missing.exitCode()).isEqualTo(ExitStatus.USAGE);
        assertThat(missing.stderr()).contains("NOT_FOUND");
    }

    /** Issue 14: these four uploads were answered 202 {"total":0,"status":"completed"} and left no item. */
    @Test
    void aCorruptZipAnEmptyZipAZipHoldingOnlyAZipAndAWebVttNamedZipUploadedAreEachAnItem() throws Exception {
        byte[] corrupt = new byte[104];
        System.arraycopy(new byte[] {'P', 'K', 3, 4}, 0, corrupt, 0, 4);
        Files.write(work.resolve("corrupt.zip"), corrupt);
        try (ZipOutputStream out = new ZipOutputStream(Files.newOutputStream(work.resolve("empty.zip")))) {
            out.finish();
        }
        java.io.ByteArrayOutputStream inner = new java.io.ByteArrayOutputStream();
        try (ZipOutputStream out = new ZipOutputStream(inner)) {
            out.putNextEntry(new ZipEntry("day.txt"));
            out.write(TestTranscripts.text(1).getBytes(StandardCharsets.UTF_8));
            out.closeEntry();
        }
        try (ZipOutputStream out = new ZipOutputStream(Files.newOutputStream(work.resolve("nested.zip")))) {
            out.putNextEntry(new ZipEntry("inner.zip"));
            out.write(inner.toByteArray());
            out.closeEntry();
        }
        Files.writeString(work.resolve("yt.zip"), "WEBVTT\n\n00:00:01.000 --> 00:00:09.000\n<v Ann>"
                + TestTranscripts.text(2).replace("\n", " ") + "\n");
        String url = serve();

        MinutesProcess.Finished submitted = MinutesProcess.run(work, "submit", "--server", url, "--wait",
                "corrupt.zip", "empty.zip", "nested.zip", "yt.zip");

        String id = submitted.stdout().lines().findFirst().orElseThrow();
        JsonNode batch = batch(url, id);
        List<String> items = new ArrayList<>();
        batch.path("results").forEach(r -> items.add(r.path("source").asText() + " " + r.path("status").asText()));
        assertThat(items).as(submitted.stderr()).containsExactly("corrupt.zip failed", "empty.zip skipped",
                "nested.zip!/inner.zip failed", "yt.zip completed");
        batch.path("results").forEach(r -> assertThat(r.path("error").asText(""))
                .doesNotContain("null").doesNotContain("minutes run"));
    }

    @Test
    void serveRefusesANonLoopbackAddressWithoutApiKeys() throws Exception {
        MinutesProcess.Finished refused = MinutesProcess.run(work, "serve", "--host", "0.0.0.0", "--port", "0", "--db", "m.db");
        assertThat(refused.exitCode()).isEqualTo(ExitStatus.USAGE);
        assertThat(refused.stderr()).contains("refusing to serve on 0.0.0.0 without API keys", "minutes keys create", "--insecure");
    }

}
