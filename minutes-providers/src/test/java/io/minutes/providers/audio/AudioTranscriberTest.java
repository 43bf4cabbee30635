package io.minutes.providers.audio;

import com.github.tomakehurst.wiremock.WireMockServer;
import com.github.tomakehurst.wiremock.core.WireMockConfiguration;
import com.github.tomakehurst.wiremock.http.Request;
import com.github.tomakehurst.wiremock.verification.LoggedRequest;
import io.minutes.core.domain.Failure;
import io.minutes.core.domain.MediaFormat;
import io.minutes.core.domain.Segment;
import io.minutes.core.port.CallAdmission;
import io.minutes.core.port.RateLimitObserver;
import io.minutes.core.port.Transcriber;
import io.minutes.core.port.TranscriberException;
import io.minutes.providers.http.ProviderHttp;
import io.minutes.providers.openai.OpenAiTranscriber;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.util.List;
import java.util.Optional;

import static com.github.tomakehurst.wiremock.client.WireMock.aResponse;
import static com.github.tomakehurst.wiremock.client.WireMock.post;
import static com.github.tomakehurst.wiremock.client.WireMock.postRequestedFor;
import static com.github.tomakehurst.wiremock.client.WireMock.urlEqualTo;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** Real recordings (espeak-ng + ffmpeg), real ffmpeg conversion and splitting, an OpenAI-compatible stub over HTTP. */
class AudioTranscriberTest {
    static final String PATH = "/v1/audio/transcriptions";
    /** What the stub hears in every piece: verbose_json segments every 10 s for a minute, no duration. */
    static final String PIECE_JSON = """
            {"task": "transcribe", "language": "english", "text": "...",
             "segments": [
               {"id": 0, "start": 0.0, "end": 9.5, "text": " Good morning everyone, let us start the weekly planning meeting."},
               {"id": 1, "start": 10.0, "end": 19.5, "text": " Alice will send the budget report by Friday."},
               {"id": 2, "start": 20.0, "end": 29.5, "text": " We decided to ship the new release next Tuesday."},
               {"id": 3, "start": 30.0, "end": 39.5, "text": " Bob will book the room for the design review."},
               {"id": 4, "start": 40.0, "end": 49.5, "text": " Open question: who owns the migration plan?"},
               {"id": 5, "start": 50.0, "end": 59.5, "text": " Thank you all."}]}
            """;

    static WireMockServer wiremock;

    @TempDir
    Path dir;

    @BeforeAll
    static void start() throws Exception {
        wiremock = new WireMockServer(WireMockConfiguration.options().dynamicPort());
        wiremock.start();
    }

    @AfterAll
    static void stop() {
        wiremock.stop();
    }

    @BeforeEach
    void stub() {
        wiremock.resetAll();
        wiremock.stubFor(post(PATH).willReturn(aResponse().withStatus(200)
                .withHeader("content-type", "application/json").withBody(PIECE_JSON)));
    }

    private AudioTranscriber transcriber(Optional<Ffmpeg> ffmpeg, long uploadLimit) {
        return transcriber(ffmpeg, uploadLimit, "whisper-1", Double.POSITIVE_INFINITY);
    }

    private AudioTranscriber transcriber(Optional<Ffmpeg> ffmpeg, long uploadLimit, String model, double maxSeconds) {
        ProviderHttp http = new ProviderHttp("openai", null, "set OPENAI_API_KEY", ProviderHttp.Timeouts.DEFAULT,
                RateLimitObserver.NONE, Clock.systemUTC());
        return new AudioTranscriber("openai", new OpenAiTranscriber(http, wiremock.baseUrl() + "/v1", model, null, io.minutes.providers.cost.Prices.builtIn()),
                ffmpeg, uploadLimit, maxSeconds, OpenAiTranscriber.ACCEPTED, CallAdmission.NONE);
    }

    private static Transcriber.Request request(Path file, MediaFormat format) throws Exception {
        return new Transcriber.Request("mtg_1", file.getFileName().toString(), "t", format, Files.size(file),
                () -> Files.newInputStream(file));
    }

    private static Ffmpeg ffmpeg() {
        SpeechAudio.assumeTools();
        return Ffmpeg.onPath().orElseThrow();
    }

    private static Path speechWav() throws Exception {
        return SpeechAudio.speech("meeting", SpeechAudio.MEETING);
    }

    @Test
    void theEstimateIsTheMeasuredLengthAtThePricePerMinuteWithoutSendingAnything() throws Exception {
        Ffmpeg ffmpeg = ffmpeg();
        Path recording = speechWav();
        double duration = ffmpeg.durationSeconds(recording);

        Transcriber.Estimate measured = transcriber(Optional.of(ffmpeg), 25_000_000).estimate(request(recording, MediaFormat.WAV));

        assertThat(measured.audioSeconds()).isCloseTo(duration, org.assertj.core.data.Offset.offset(0.01));
        assertThat(measured.maxCostUsd()).isCloseTo(duration / 60 * 0.006, org.assertj.core.data.Offset.offset(1e-9));
        Transcriber.Estimate guessed = transcriber(Optional.empty(), 25_000_000).estimate(request(recording, MediaFormat.WAV));
        assertThat(guessed.audioSeconds()).as("without ffmpeg, guessed long from the size").isGreaterThanOrEqualTo(duration);
        Transcriber.Estimate free = transcriber(Optional.of(ffmpeg), 25_000_000, "my-own-whisper", Double.POSITIVE_INFINITY)
                .estimate(request(recording, MediaFormat.WAV));
        assertThat(free).as("a model without a price costs nothing").isEqualTo(Transcriber.Estimate.NONE);
        assertThat(wiremock.findAll(postRequestedFor(urlEqualTo(PATH)))).isEmpty();
    }

    @Test
    void aRecordingOverTheLimitIsSplitAtSilencesAndStitchedWithTimesFromTheStart() throws Exception {
        Ffmpeg ffmpeg = ffmpeg();
        Path recording = SpeechAudio.looped(speechWav(), 12, "three-minutes.mp3", "-ac", "1", "-c:a", "libmp3lame", "-b:a", "64k");
        double duration = ffmpeg.durationSeconds(recording);
        long limit = 300_000;
        assertThat(Files.size(recording)).isGreaterThan(limit);

        Transcriber.Result result = transcriber(Optional.of(ffmpeg), limit).transcribe(request(recording, MediaFormat.MP3));

        List<LoggedRequest> uploads = wiremock.findAll(postRequestedFor(urlEqualTo(PATH)));
        assertThat(uploads).hasSizeGreaterThanOrEqualTo(3);
        assertThat(uploads).allSatisfy(upload -> {
            Request.Part file = upload.getPart("file");
            assertThat(file.getHeader("content-type").firstValue()).isEqualTo("audio/mpeg");
            assertThat(file.getBody().asBytes().length).isLessThanOrEqualTo((int) limit);
        });
        List<Segment> segments = result.transcript().segments();
        assertThat(segments.getFirst().startSeconds()).isZero();
        for (int i = 1; i < segments.size(); i++) {
            assertThat(segments.get(i).startSeconds()).as("segment %d", i).isGreaterThanOrEqualTo(segments.get(i - 1).endSeconds());
            assertThat(segments.get(i).endSeconds()).isGreaterThanOrEqualTo(segments.get(i).startSeconds());
        }
        assertThat(segments.getLast().startSeconds()).as("the last piece's segments moved to its place").isGreaterThan(duration - 70);
        assertThat(segments.getLast().endSeconds()).isLessThanOrEqualTo(duration + 0.01);
        assertThat(result.transcript().warnings()).as("every cut at a silence").isEmpty();
        assertThat(result.usage().audioSeconds()).as("the pieces sent, overlaps included")
                .isBetween(duration, duration + 2.0 * uploads.size() + 1);
        assertThat(result.usage().costUsd()).isEqualTo(result.usage().audioSeconds() / 60 * 0.006,
                org.assertj.core.data.Offset.offset(1e-9));
    }

    @Test
    void aRecordingLongerThanTheModelTakesIsSplitAndEachTextOnlyAnswerIsOneSegmentWithoutTheOverlapsWords() throws Exception {
        Ffmpeg ffmpeg = ffmpeg();
        Path recording = SpeechAudio.looped(speechWav(), 12, "three-minutes.mp3", "-ac", "1", "-c:a", "libmp3lame", "-b:a", "64k");
        double duration = ffmpeg.durationSeconds(recording);
        // gpt-4o-transcribe answers json: text only. Each piece "hears" the end of the one before (the overlap).
        wiremock.resetAll();
        wiremock.stubFor(post(PATH).willReturn(aResponse().withStatus(200).withHeader("content-type", "application/json")
                .withBody("{\"text\": \"the migration plan? Good morning everyone, let us start. Who owns the migration plan?\", "
                        + "\"usage\": {\"type\": \"tokens\", \"input_tokens\": 14, \"output_tokens\": 45, \"total_tokens\": 59}}")));

        Transcriber.Result result = transcriber(Optional.of(ffmpeg), 25_000_000, "gpt-4o-transcribe", 60)
                .transcribe(request(recording, MediaFormat.MP3));

        List<LoggedRequest> uploads = wiremock.findAll(postRequestedFor(urlEqualTo(PATH)));
        assertThat(uploads).hasSizeGreaterThanOrEqualTo(3);
        assertThat(uploads).allSatisfy(u -> assertThat(u.getPart("response_format").getBody().asString()).isEqualTo("json"));
        List<Segment> segments = result.transcript().segments();
        assertThat(segments).hasSize(uploads.size());
        assertThat(segments.getFirst().text()).startsWith("the migration plan? Good morning");
        assertThat(segments.subList(1, segments.size())).allSatisfy(s -> assertThat(s.text()).startsWith("Good morning"));
        for (int i = 1; i < segments.size(); i++) {
            assertThat(segments.get(i).startSeconds()).isEqualTo(segments.get(i - 1).endSeconds());
            assertThat(segments.get(i).endSeconds() - segments.get(i).startSeconds()).isLessThanOrEqualTo(60);
        }
        assertThat(segments.getLast().endSeconds()).isCloseTo(duration, org.assertj.core.data.Offset.offset(0.01));
    }

    @Test
    void gpt4oTranscribeModelsAreGivenAtMost1400Seconds() {
        assertThat(OpenAiTranscriber.maxSecondsFor("gpt-4o-transcribe")).isEqualTo(1400);
        assertThat(OpenAiTranscriber.maxSecondsFor("gpt-4o-mini-transcribe")).isEqualTo(1400);
        assertThat(OpenAiTranscriber.maxSecondsFor("whisper-1")).isInfinite();
    }

    @Test
    void aRecordingTheServiceTakesIsSentAsItIs() throws Exception {
        Path wav = speechWav();

        Transcriber.Result result = transcriber(Ffmpeg.onPath(), 25_000_000).transcribe(request(wav, MediaFormat.WAV));

        List<LoggedRequest> uploads = wiremock.findAll(postRequestedFor(urlEqualTo(PATH)));
        assertThat(uploads).hasSize(1);
        assertThat(uploads.getFirst().getPart("file").getHeader("content-type").firstValue()).isEqualTo("audio/wav");
        assertThat(uploads.getFirst().getPart("file").getBody().asBytes()).isEqualTo(Files.readAllBytes(wav));
        assertThat(result.transcript().segments()).hasSize(6);
    }

    @Test
    void aVideoHasItsAudioTrackExtractedFirst() throws Exception {
        Ffmpeg ffmpeg = ffmpeg();
        Path video = SpeechAudio.dir().resolve("meeting-video.mp4");
        if (!Files.exists(video)) {
            SpeechAudio.run("ffmpeg", "-v", "error", "-nostdin", "-y", "-f", "lavfi", "-i", "testsrc=size=320x240:rate=10",
                    "-i", speechWav().toString(), "-shortest", "-c:v", "mpeg4", "-q:v", "2", "-c:a", "aac", video.toString());
        }

        transcriber(Optional.of(ffmpeg), 25_000_000).transcribe(request(video, MediaFormat.MP4));

        List<LoggedRequest> uploads = wiremock.findAll(postRequestedFor(urlEqualTo(PATH)));
        assertThat(uploads).hasSize(1);
        Request.Part file = uploads.getFirst().getPart("file");
        assertThat(file.getHeader("content-type").firstValue()).isEqualTo("audio/mpeg");
        assertThat(file.getBody().asBytes().length).isLessThan((int) Files.size(video) / 2);
    }

    @Test
    void aDamagedRecordingFailsPermanentlyWithWhatFfmpegSaid() throws Exception {
        Ffmpeg ffmpeg = ffmpeg();
        Path damaged = dir.resolve("damaged.mp4");
        Files.write(damaged, new byte[]{0, 0, 0, 0x20, 'f', 't', 'y', 'p', 'i', 's', 'o', 'm', 0, 0, 2, 0, 1, 2, 3, 4});

        assertThatThrownBy(() -> transcriber(Optional.of(ffmpeg), 25_000_000).transcribe(request(damaged, MediaFormat.MP4)))
                .isInstanceOfSatisfying(TranscriberException.class, e -> {
                    assertThat(e.failure().kind()).isEqualTo(Failure.Kind.PERMANENT);
                    assertThat(e.getMessage()).contains("damaged", "cannot be read", "ffprobe");
                });
    }

    @Test
    void withoutFfmpegARecordingOverTheLimitFailsAloneSayingWhatToInstall() throws Exception {
        Path big = dir.resolve("big.mp3");
        Files.write(big, new byte[200_000]);

        assertThatThrownBy(() -> transcriber(Optional.empty(), 100_000).transcribe(request(big, MediaFormat.MP3)))
                .isInstanceOfSatisfying(TranscriberException.class, e -> {
                    assertThat(e.failure().kind()).isEqualTo(Failure.Kind.PERMANENT);
                    assertThat(e.getMessage()).contains("big", "0.2 MB", "upload limit of 0.1 MB", "ffmpeg is not installed",
                            "apt-get install ffmpeg");
                });
        assertThat(wiremock.findAll(postRequestedFor(urlEqualTo(PATH)))).isEmpty();
    }

    @Test
    void withoutFfmpegAFormatTheServiceDoesNotTakeFailsSayingWhatToInstall() throws Exception {
        Path opus = dir.resolve("call.opus");
        Files.write(opus, new byte[1000]);

        assertThatThrownBy(() -> transcriber(Optional.empty(), 25_000_000).transcribe(request(opus, MediaFormat.OPUS)))
                .isInstanceOfSatisfying(TranscriberException.class,
                        e -> assertThat(e.getMessage()).contains("opus, which the transcriber does not take", "apt-get install ffmpeg"));
    }
}
