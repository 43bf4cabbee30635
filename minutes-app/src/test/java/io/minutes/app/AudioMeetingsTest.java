package io.minutes.app;

import io.minutes.core.port.CallAdmission;
import io.minutes.core.testing.TestEngine;
import io.minutes.store.TestBatches;
import io.minutes.core.engine.InProcessStoreEvents;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.github.tomakehurst.wiremock.WireMockServer;
import com.github.tomakehurst.wiremock.core.WireMockConfiguration;
import com.github.tomakehurst.wiremock.verification.LoggedRequest;
import io.minutes.core.analysis.LocalAnalyzer;
import io.minutes.core.domain.Batch;
import io.minutes.core.domain.Failure;
import io.minutes.core.domain.Meeting;
import io.minutes.core.domain.MeetingState;
import io.minutes.core.domain.MediaFormat;
import io.minutes.core.engine.Dispatcher;
import io.minutes.core.engine.EngineSettings;
import io.minutes.core.engine.Pipeline;
import io.minutes.core.engine.RetryPolicy;
import io.minutes.core.engine.WorkerId;
import io.minutes.core.port.Analyzer;
import io.minutes.core.port.AnalyzerException;
import io.minutes.core.port.BlobStore;
import io.minutes.core.port.EventSink;
import io.minutes.core.port.MeetingStore;
import io.minutes.core.port.BatchStore;
import io.minutes.core.port.RateLimitObserver;
import io.minutes.providers.audio.AudioTranscriber;
import io.minutes.providers.audio.Ffmpeg;
import io.minutes.providers.http.ProviderHttp;
import io.minutes.providers.openai.OpenAiTranscriber;
import io.minutes.store.blob.FolderBlobStore;
import io.minutes.store.sqlite.SqliteMeetingStore;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;

import static com.github.tomakehurst.wiremock.client.WireMock.aResponse;
import static com.github.tomakehurst.wiremock.client.WireMock.post;
import static com.github.tomakehurst.wiremock.client.WireMock.postRequestedFor;
import static com.github.tomakehurst.wiremock.client.WireMock.urlEqualTo;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * Recordings end to end: made here with espeak-ng and ffmpeg, transcribed through an OpenAI-compatible
 * endpoint stubbed by WireMock over real HTTP, analysed by the local analyzer, on a real SQLite store.
 */
class AudioMeetingsTest {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final String PATH = "/v1/audio/transcriptions";
    private static WireMockServer wiremock;

    @TempDir
    Path work;

    @BeforeAll
    static void startWiremock() {
        wiremock = new WireMockServer(WireMockConfiguration.options().dynamicPort());
        wiremock.start();
    }

    @AfterAll
    static void stopWiremock() {
        wiremock.stop();
    }

    /** verbose_json as whisper-1 answers it: a segment every 20 s for 440 s of each piece sent. */
    @BeforeEach
    void stubWhisper() {
        StringBuilder segments = new StringBuilder();
        String[] said = TestRecordings.MEETING.split("(?<=[.?]) ");
        for (int i = 0; i < 22; i++) {
            if (i > 0) segments.append(",\n");
            segments.append(String.format(java.util.Locale.ROOT,
                    "{\"id\": %d, \"seek\": 0, \"start\": %d.0, \"end\": %d.5, \"text\": \" %s\", \"temperature\": 0.0, "
                            + "\"avg_logprob\": -0.25, \"compression_ratio\": 1.3, \"no_speech_prob\": 0.01}",
                    i, i * 20, i * 20 + 19, said[i % said.length].strip()));
        }
        wiremock.resetAll();
        wiremock.stubFor(post(PATH).willReturn(aResponse().withStatus(200).withHeader("content-type", "application/json")
                .withBody("{\"task\": \"transcribe\", \"language\": \"english\", \"text\": \"...\", \"segments\": [" + segments + "]}")));
    }

    @Test
    void aThirtyMinuteRecordingOverTheUploadLimitIsSplitTranscribedStitchedAndAnalysed() throws Exception {
        TestRecordings.assumeTools();
        Path recording = TestRecordings.meetingOfMinutes(30);
        double duration = TestRecordings.durationSeconds(recording);
        Path in = Files.createDirectories(work.resolve("in"));
        Files.copy(recording, in.resolve("weekly-planning.mp3"));
        long limit = 2_000_000;
        assertThat(duration).isGreaterThanOrEqualTo(1800);
        assertThat(Files.size(recording)).isGreaterThan(limit);

        MinutesProcess.Finished run = MinutesProcess.start(work, "run", "in", "--out", "out", "--db", "m.db", "--json",
                "--transcriber", "openai", "--transcriber-base-url", wiremock.baseUrl() + "/v1", "--upload-limit", "2MB").await(300);

        assertThat(run.exitCode()).as(run.stdout() + run.stderr()).isZero();
        JsonNode item = JSON.readTree(run.stdout()).get("items").get(0);
        assertThat(item.get("status").asText()).isEqualTo("completed");
        List<LoggedRequest> uploads = wiremock.findAll(postRequestedFor(urlEqualTo(PATH)));
        assertThat(uploads).as("pieces sent").hasSizeGreaterThanOrEqualTo((int) Math.ceil(Files.size(recording) / (double) limit) - 2)
                .hasSizeGreaterThanOrEqualTo(4);
        assertThat(uploads).allSatisfy(upload -> {
            assertThat(upload.getPart("file").getBody().asBytes().length).isLessThanOrEqualTo((int) limit);
            assertThat(upload.getPart("response_format").getBody().asString()).isEqualTo("verbose_json");
        });

        Stored stored = stored(work.resolve("m.db"));
        List<JsonNode> segments = stored.segments();
        assertThat(segments.getFirst().get("startSeconds").asDouble()).isZero();
        for (int i = 1; i < segments.size(); i++) {
            assertThat(segments.get(i).get("startSeconds").asDouble()).as("segment %d starts after the one before", i)
                    .isGreaterThanOrEqualTo(segments.get(i - 1).get("endSeconds").asDouble());
        }
        assertThat(segments.getLast().get("startSeconds").asDouble()).as("the last piece is placed at its time")
                .isGreaterThan(duration - 480);
        assertThat(segments.getLast().get("endSeconds").asDouble()).isLessThanOrEqualTo(duration + 0.01);
        assertThat(stored.audioSeconds()).isBetween(duration, duration + 2.0 * uploads.size() + 1);
        assertThat(item.get("transcription").get("audio_seconds").asDouble()).isEqualTo(stored.audioSeconds());
        assertThat(item.get("cost_usd").asDouble()).as("whisper-1 at $0.006 a minute, and 0 for the local analyzer")
                .isCloseTo(stored.audioSeconds() / 60 * 0.006, org.assertj.core.data.Offset.offset(1e-6));

        JsonNode minutes = JSON.readTree(work.resolve("out/weekly-planning.json").toFile());
        assertThat(minutes.get("title").asText()).isEqualTo("weekly planning");
        assertThat(minutes.get("action_items").toString()).contains("budget report");
    }

    @Test
    void aBudgetCountsWhatTheTranscriptionMayCostBeforeItIsSent() throws Exception {
        TestRecordings.assumeTools();
        Path in = Files.createDirectories(work.resolve("in"));
        Files.copy(TestRecordings.speech(), in.resolve("call.wav"));
        double minutes = TestRecordings.durationSeconds(in.resolve("call.wav")) / 60;
        String[] run = {"run", "in", "--out", "out", "--db", "m.db", "--json", "--transcriber", "openai",
                "--transcriber-base-url", wiremock.baseUrl() + "/v1"};
        String tooLittle = String.format(java.util.Locale.ROOT, "%.6f", minutes * 0.006 / 2);

        MinutesProcess.Finished refused = MinutesProcess.run(work, with(run, "--budget", tooLittle));
        MinutesProcess.Finished over = MinutesProcess.run(work, with(run, "--budget", tooLittle, "--allow-over-budget"));
        int callsWhileOver = wiremock.findAll(postRequestedFor(urlEqualTo(PATH))).size();
        MinutesProcess.Finished enough = MinutesProcess.run(work, with(run, "--fresh", "--budget", "1"));

        assertThat(refused.exitCode()).isEqualTo(2);
        assertThat(refused.stderr()).contains("for 0 meeting(s) to send and 1 recording(s) to transcribe, passes --budget");
        assertThat(over.exitCode()).as(over.stderr()).isZero();
        JsonNode skipped = JSON.readTree(over.stdout());
        assertThat(skipped.get("status").asText()).isEqualTo("budget_exhausted");
        assertThat(skipped.get("items").get(0).get("reason").asText()).startsWith("budget_exhausted: spent $0.0000 + reserved $0.0000");
        assertThat(callsWhileOver).as("nothing was sent to the transcriber").isZero();
        assertThat(enough.exitCode()).as(enough.stderr()).isZero();
        JsonNode done = JSON.readTree(enough.stdout());
        assertThat(done.get("items").get(0).get("status").asText()).isEqualTo("completed");
        assertThat(done.get("cost_usd").asDouble()).isCloseTo(minutes * 0.006, org.assertj.core.data.Offset.offset(1e-6));
        assertThat(wiremock.findAll(postRequestedFor(urlEqualTo(PATH)))).hasSize(1);
    }

    private static String[] with(String[] args, String... more) {
        List<String> all = new java.util.ArrayList<>(List.of(args));
        all.addAll(List.of(more));
        return all.toArray(String[]::new);
    }

    @Test
    void aRecordingWithoutATranscriberFailsAloneNamingTheSetting() throws Exception {
        TestRecordings.assumeTools();
        Path in = Files.createDirectories(work.resolve("in"));
        Files.copy(TestRecordings.speech(), in.resolve("call.wav"));
        Files.writeString(in.resolve("notes.txt"), TestTranscripts.text(1));

        MinutesProcess.Finished run = MinutesProcess.run(work, "run", "in", "--out", "out", "--db", "m.db", "--json");

        assertThat(run.exitCode()).as(run.stderr()).isEqualTo(1);
        JsonNode items = JSON.readTree(run.stdout()).get("items");
        assertThat(items.get(0).get("status").asText()).isEqualTo("failed");
        assertThat(items.get(0).get("error").get("message").asText()).contains("call.wav", "--transcriber openai", "--transcriber command");
        assertThat(items.get(1).get("status").asText()).isEqualTo("completed");
        assertThat(work.resolve("blobs")).as("the recording waits in the blob store beside the db").isDirectory();
    }

    @Test
    void aLocalProgramTranscribesOnPremises() throws Exception {
        TestRecordings.assumeTools();
        Path in = Files.createDirectories(work.resolve("in"));
        Files.copy(TestRecordings.speech(), in.resolve("standup.wav"));
        // stands in for whisper-cli -f {wav} -oj -of {output}: checks it got 16 kHz mono WAV, writes whisper.cpp JSON
        Path whisper = work.resolve("fake-whisper-cli");
        Files.writeString(whisper, """
                #!/bin/sh
                [ "$(ffprobe -v error -show_entries stream=sample_rate,channels -of csv=p=0 "$2")" = "16000,1" ] || exit 7
                cat > "$5.json" <<'JSON'
                {"transcription": [
                  {"offsets": {"from": 0, "to": 4000}, "text": " Good morning everyone, let us start the weekly planning meeting."},
                  {"offsets": {"from": 4000, "to": 8000}, "text": " I will send the budget report by Friday."}]}
                JSON
                """);
        whisper.toFile().setExecutable(true);

        MinutesProcess.Finished run = MinutesProcess.run(work, "run", "in", "--out", "out", "--db", "m.db", "--json",
                "--transcriber", "command", "--transcriber-command", whisper + " -f {wav} -oj -of {output}");

        assertThat(run.exitCode()).as(run.stdout() + run.stderr()).isZero();
        JsonNode item = JSON.readTree(run.stdout()).get("items").get(0);
        assertThat(item.get("status").asText()).isEqualTo("completed");
        assertThat(item.get("cost_usd").asDouble()).isZero();
        assertThat(JSON.readTree(work.resolve("out/standup.json").toFile()).get("action_items").toString())
                .contains("budget report");
    }

    @Test
    void transcriberSettingsThatDoNotFitStopTheRunBeforeAnythingIsStored() throws Exception {
        Files.writeString(Files.createDirectories(work.resolve("in")).resolve("notes.txt"), TestTranscripts.text(1));

        MinutesProcess.Finished run = MinutesProcess.run(work, "run", "in", "--db", "m.db", "--transcriber", "command",
                "--transcriber-command", "whisper-cli -m base.bin -f {inptu}");

        assertThat(run.exitCode()).isEqualTo(2);
        assertThat(run.stderr()).contains("transcriber-command", "unknown placeholder {inptu}");
        assertThat(work.resolve("m.db")).doesNotExist();
    }

    @Test
    void aRetryOfTheAnalysisNeverPaysForTheTranscriptionTwice() throws Exception {
        TestRecordings.assumeTools();
        try (MeetingStore store = SqliteMeetingStore.open(work.resolve("m.db"), new InProcessStoreEvents())) {
            BlobStore blobs = new FolderBlobStore(work.resolve("blobs"));
            String key;
            try (InputStream in = Files.newInputStream(TestRecordings.speech())) {
                key = blobs.put(in);
            }
            Batch batch = store.batchCreate(TestBatches.batch("run", "local", Clock.systemUTC().instant(),
                    List.of(BatchStore.NewMeeting.audio("call.wav", "call", key, key, MediaFormat.WAV.mediaType()))));
            AtomicInteger analyses = new AtomicInteger();
            Analyzer failsOnce = new Analyzer() {
                @Override
                public String name() {
                    return "flaky";
                }

                @Override
                public Result analyze(Request request) throws AnalyzerException {
                    if (analyses.incrementAndGet() == 1) throw new AnalyzerException(Failure.transientFailure("HTTP 503 from the model"));
                    return new LocalAnalyzer().analyze(request);
                }
            };
            ProviderHttp http = new ProviderHttp("openai", null, "set OPENAI_API_KEY", ProviderHttp.Timeouts.DEFAULT,
                    RateLimitObserver.NONE, Clock.systemUTC());
            AudioTranscriber transcriber = new AudioTranscriber("openai",
                    new OpenAiTranscriber(http, wiremock.baseUrl() + "/v1", "whisper-1", null, io.minutes.providers.cost.Prices.builtIn()), Ffmpeg.onPath(),
                    25_000_000, Double.POSITIVE_INFINITY, OpenAiTranscriber.ACCEPTED, CallAdmission.NONE);
            WorkerId owner = WorkerId.forThisProcess();
            Dispatcher dispatcher = TestEngine.dispatcher(store,
                    TestEngine.pipeline(failsOnce, new Pipeline.Transcription(transcriber, blobs, store, owner.toString(), Clock.systemUTC())),
                    new EngineSettings(2, Duration.ofSeconds(30), Duration.ofMillis(50)),
                    RetryPolicy.builder().maxAttempts(3).baseDelay(Duration.ofMillis(10)).maxDelay(Duration.ofMillis(20)).build(),
                    Clock.systemUTC(), EventSink.NONE, owner);
            dispatcher.start();
            try {
                await().atMost(Duration.ofSeconds(60)).until(() -> store.batchGet(batch.id()).orElseThrow().counts().isFinished());
            } finally {
                dispatcher.shutdown(Duration.ofSeconds(5));
            }

            Meeting meeting = store.meetingsList(batch.id()).getFirst();
            assertThat(meeting.state()).isEqualTo(MeetingState.COMPLETED);
            assertThat(meeting.attempts()).hasSize(2);
            assertThat(analyses).hasValue(2);
            assertThat(wiremock.findAll(postRequestedFor(urlEqualTo(PATH)))).as("transcribed once").hasSize(1);
            assertThat(meeting.transcription().audioSeconds()).isGreaterThan(0);
            assertThat(meeting.usage().costUsd()).isEqualTo(meeting.transcription().costUsd());
        }
    }

    private record Stored(List<JsonNode> segments, double audioSeconds, double costUsd) {
    }

    private static Stored stored(Path db) throws Exception {
        try (Connection c = DriverManager.getConnection("jdbc:sqlite:" + db);
             ResultSet rs = c.createStatement().executeQuery("SELECT transcript_json, audio_seconds, cost_usd FROM meetings")) {
            assertThat(rs.next()).isTrue();
            List<JsonNode> segments = new java.util.ArrayList<>();
            JSON.readTree(rs.getString("transcript_json")).get("segments").forEach(segments::add);
            return new Stored(segments, rs.getDouble("audio_seconds"), rs.getDouble("cost_usd"));
        }
    }
}
