package io.minutes.app.cli;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.minutes.app.MinutesProcess;
import io.minutes.app.TestTranscripts;
import io.minutes.core.domain.BatchCounts;
import io.minutes.core.domain.MeetingState;
import io.minutes.core.domain.ProgressEvent;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.io.TempDir;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * {@code submit --wait} and {@code status --wait} behind a proxy that does not let the batch's
 * server-sent events through: they poll the batch instead, show the same progress and finish as
 * they would have. One real {@code minutes serve} for the class (a JVM costs seconds here).
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class FollowWithoutEventsTest {
    private static final Pattern SERVING = Pattern.compile("serving on (http://\\S+) ");
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final int MEETINGS = 16; // 16 x 250 ms / 2 at once: about 2 s, several polls

    @TempDir
    static Path work;
    private MinutesProcess serve;
    private String url;
    private final HttpClient http = HttpClient.newHttpClient();

    @BeforeAll
    void startServe() throws Exception {
        serve = MinutesProcess.start(work, "serve", "--port", "0", "--db", "m.db", "--provider", "sim",
                "--sim-latency-ms", "250", "--concurrency", "2");
        url = await().atMost(Duration.ofSeconds(60)).until(() -> {
            if (!serve.process().isAlive()) throw new AssertionError("serve stopped: " + serve.stderrText());
            Matcher m = SERVING.matcher(serve.stdoutText());
            return m.find() ? m.group(1) : null;
        }, u -> u != null);
    }

    @AfterAll
    void stopServe() {
        if (serve != null) serve.process().destroyForcibly();
    }

    /**
     * The i-th transcript of one test: the tests share a service, which would take a transcript (or a
     * title) another test already sent for a duplicate, and answer it at once.
     */
    private static String transcript(String test, int i) {
        return TestTranscripts.text(i) + "Carol: This is " + test + ", the last word of meeting " + i + ".\n";
    }

    /** Submits straight to the service: JSON, one meeting per transcript. */
    private String submit(String test, int meetings) throws Exception {
        var root = JSON.createObjectNode();
        var list = root.putArray("meetings");
        for (int i = 0; i < meetings; i++) list.addObject().put("title", "Planning " + test + " " + i).put("transcript", transcript(test, i));
        HttpResponse<String> res = http.send(HttpRequest.newBuilder(URI.create(url + "/api/v1/meetings/batch"))
                .header("Content-Type", "application/json").POST(HttpRequest.BodyPublishers.ofString(root.toString())).build(),
                HttpResponse.BodyHandlers.ofString());
        assertThat(res.statusCode()).as(res.body()).isEqualTo(202);
        return JSON.readTree(res.body()).path("batch_id").asText();
    }

    @Test
    void submitWaitPollsWhenAProxyAnswers404ForTheEventsAndReportsTheFailedFile() throws Exception {
        Path in = Files.createDirectories(work.resolve("in"));
        for (int i = 0; i < MEETINGS; i++) Files.writeString(in.resolve("submit-planning-" + i + ".txt"), transcript("submit", i));
        Files.writeString(in.resolve("broken.srt"), "1\n00:00:01,000 --> nonsense\nHello\n");
        try (EventsBlockingProxy proxy = new EventsBlockingProxy(url, EventsBlockingProxy.Events.NOT_FOUND)) {
            MinutesProcess.Finished submitted = MinutesProcess.run(work, "submit", "--server", proxy.url(), "--wait", "in");

            assertThat(submitted.exitCode()).as(submitted.stderr()).isEqualTo(ExitStatus.FAILED_MEETINGS);
            String id = submitted.stdout().lines().findFirst().orElseThrow();
            assertThat(submitted.stdout()).contains("Batch " + id + " partial: " + MEETINGS + " completed, 1 failed");
            assertThat(submitted.stderr()).contains("live events unavailable (HTTP 404", "polling every 1.0 s",
                    (MEETINGS + 1) + "/" + (MEETINGS + 1) + " done");
            assertThat(proxy.eventRequests.get()).isEqualTo(1);
            assertThat(proxy.statusReads.get()).as("it polled").isGreaterThanOrEqualTo(3);
        }
    }

    @Test
    void statusWaitPollsWhenAProxyDropsTheEventsStreamAfterTheFirstEvent() throws Exception {
        String id = submit("status", MEETINGS);
        try (EventsBlockingProxy proxy = new EventsBlockingProxy(url, EventsBlockingProxy.Events.DROPPED_AFTER_FIRST)) {
            MinutesProcess.Finished status = MinutesProcess.run(work, "status", "--server", proxy.url(), "--wait", id);

            assertThat(status.exitCode()).as(status.stderr()).isEqualTo(ExitStatus.OK);
            assertThat(status.stdout()).contains("Batch " + id + " completed: " + MEETINGS + " completed, 0 failed");
            assertThat(status.stdout().lines().filter(l -> l.contains(" completed ") && l.contains("Planning")).count())
                    .as("every meeting listed").isEqualTo(MEETINGS);
            assertThat(status.stderr()).contains("live events unavailable (the events stream ended before the batch did)",
                    MEETINGS + "/" + MEETINGS + " done");
            assertThat(proxy.eventRequests.get()).isEqualTo(1);
            assertThat(proxy.statusReads.get()).isGreaterThanOrEqualTo(3);
        }
    }

    @Test
    void followPollsWhenAProxyHoldsTheEventsBackAndReportsEveryMeeting() throws Exception {
        String id = submit("follow", MEETINGS);
        try (EventsBlockingProxy proxy = new EventsBlockingProxy(url, EventsBlockingProxy.Events.HELD_BACK)) {
            ServiceClient client = new ServiceClient(proxy.url(), null, Duration.ofSeconds(1), Duration.ofMillis(200));
            List<ProgressEvent> events = new CopyOnWriteArrayList<>();
            List<String> notes = new ArrayList<>();

            BatchCounts done = client.follow(id, events::add, notes::add);

            assertThat(done.completed()).isEqualTo(MEETINGS);
            assertThat(done.isFinished()).isTrue();
            assertThat(notes).singleElement().asString().contains("no event for 1 s");
            // every meeting not yet completed when follow began is reported completed, once, by the polls
            List<String> completed = events.stream().filter(e -> e.state() == MeetingState.COMPLETED)
                    .map(ProgressEvent::meetingId).toList();
            Set<String> all = new java.util.HashSet<>();
            client.batch(id).path("results").forEach(r -> all.add(r.path("meeting_id").asText()));
            assertThat(completed).doesNotHaveDuplicates();
            assertThat(all).containsAll(completed);
            assertThat(completed).as("most meetings finished after follow began").hasSizeGreaterThan(MEETINGS / 2);
            assertThat(events.getLast().counts().completed()).isEqualTo(MEETINGS);
        }
    }
}
