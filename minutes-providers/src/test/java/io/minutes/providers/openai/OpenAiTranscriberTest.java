package io.minutes.providers.openai;

import com.github.tomakehurst.wiremock.WireMockServer;
import com.github.tomakehurst.wiremock.core.WireMockConfiguration;
import io.minutes.core.domain.Failure;
import io.minutes.core.domain.MediaFormat;
import io.minutes.core.domain.Segment;
import io.minutes.core.port.RateLimitObserver;
import io.minutes.core.port.TranscriberException;
import io.minutes.providers.audio.FileTranscriber;
import io.minutes.providers.http.ProviderHttp;
import io.minutes.providers.http.StallingHttpServer;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;

import static com.github.tomakehurst.wiremock.client.WireMock.aMultipart;
import static com.github.tomakehurst.wiremock.client.WireMock.aResponse;
import static com.github.tomakehurst.wiremock.client.WireMock.containing;
import static com.github.tomakehurst.wiremock.client.WireMock.equalTo;
import static com.github.tomakehurst.wiremock.client.WireMock.post;
import static com.github.tomakehurst.wiremock.client.WireMock.postRequestedFor;
import static com.github.tomakehurst.wiremock.client.WireMock.urlEqualTo;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.catchThrowableOfType;
import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;

/** Over real HTTP against WireMock, with bodies, headers and errors as OpenAI's API reference shows them. */
class OpenAiTranscriberTest {
    static final String PATH = "/v1/audio/transcriptions";
    static final String KEY = "sk-test-4f9a1c";

    /** verbose_json as documented for whisper-1 (segments trimmed to the fields Minutes reads, plus a few it ignores). */
    static final String VERBOSE_JSON = """
            {"task": "transcribe", "language": "english", "duration": 8.47,
             "text": "Alice will send the budget report by Friday. We decided to ship on Tuesday.",
             "segments": [
               {"id": 0, "seek": 0, "start": 0.0, "end": 3.32, "text": " Alice will send the budget report by Friday.",
                "tokens": [50364, 440], "temperature": 0.0, "avg_logprob": -0.28, "compression_ratio": 1.2, "no_speech_prob": 0.007},
               {"id": 1, "seek": 0, "start": 3.32, "end": 8.47, "text": " We decided to ship on Tuesday.",
                "tokens": [50530, 286], "temperature": 0.0, "avg_logprob": -0.31, "compression_ratio": 1.2, "no_speech_prob": 0.01}],
             "usage": {"type": "duration", "seconds": 9}}
            """;

    static WireMockServer wiremock;

    @TempDir
    Path dir;
    Path audio;

    @BeforeAll
    static void startWiremock() {
        wiremock = new WireMockServer(WireMockConfiguration.options().dynamicPort());
        wiremock.start();
    }

    @AfterAll
    static void stopWiremock() {
        wiremock.stop();
    }

    @BeforeEach
    void reset() throws Exception {
        wiremock.resetAll();
        audio = Files.write(dir.resolve("piece.mp3"), new byte[]{'I', 'D', '3', 4, 0, 0, 0, 0, 0, 0, 1, 2, 3});
    }

    private OpenAiTranscriber transcriber(String model) {
        ProviderHttp http = new ProviderHttp("openai", KEY, "set OPENAI_API_KEY or --api-key-env",
                new ProviderHttp.Timeouts(Duration.ofSeconds(5), Duration.ofSeconds(10)), RateLimitObserver.NONE, Clock.systemUTC());
        return new OpenAiTranscriber(http, wiremock.baseUrl() + "/v1/", model, KEY, io.minutes.providers.cost.Prices.builtIn());
    }

    @Test
    void sendsTheFileAsMultipartAskingForSegmentsAndReadsThem() throws Exception {
        wiremock.stubFor(post(PATH).willReturn(aResponse().withStatus(200)
                .withHeader("content-type", "application/json").withBody(VERBOSE_JSON)));

        FileTranscriber.Heard heard = transcriber("whisper-1").transcribe(audio, MediaFormat.MP3, "standup.mp3");

        assertThat(heard.segments()).containsExactly(
                new Segment(null, 0.0, 3.32, "Alice will send the budget report by Friday."),
                new Segment(null, 3.32, 8.47, "We decided to ship on Tuesday."));
        assertThat(heard.audioSeconds()).isEqualTo(8.47);
        wiremock.verify(postRequestedFor(urlEqualTo(PATH))
                .withHeader("authorization", equalTo("Bearer " + KEY))
                .withHeader("content-type", containing("multipart/form-data; boundary="))
                .withRequestBodyPart(aMultipart().withName("model").withBody(equalTo("whisper-1")).build())
                .withRequestBodyPart(aMultipart().withName("response_format").withBody(equalTo("verbose_json")).build())
                .withRequestBodyPart(aMultipart().withName("timestamp_granularities[]").withBody(equalTo("segment")).build())
                .withRequestBodyPart(aMultipart().withName("file").withHeader("content-type", equalTo("audio/mpeg")).build()));
        assertThat(wiremock.getAllServeEvents().getFirst().getRequest().getPart("file").getBody().asBytes())
                .isEqualTo(Files.readAllBytes(audio));
    }

    @Test
    void gpt4oTranscribeIsAskedForJsonAndItsTextBecomesOneSegment() throws Exception {
        wiremock.stubFor(post(PATH).willReturn(aResponse().withStatus(200).withHeader("content-type", "application/json")
                .withBody("""
                        {"text": "Alice will send the budget report by Friday.",
                         "usage": {"type": "tokens", "input_tokens": 14, "input_token_details": {"text_tokens": 0, "audio_tokens": 14},
                                   "output_tokens": 45, "total_tokens": 59}}
                        """)));

        FileTranscriber.Heard heard = transcriber("gpt-4o-transcribe").transcribe(audio, MediaFormat.MP3, "standup.mp3");

        assertThat(heard.segments()).containsExactly(Segment.of(null, "Alice will send the budget report by Friday."));
        assertThat(heard.audioSeconds()).isNull();
        wiremock.verify(postRequestedFor(urlEqualTo(PATH))
                .withRequestBodyPart(aMultipart().withName("response_format").withBody(equalTo("json")).build()));
        assertThat(wiremock.getAllServeEvents().getFirst().getRequest().getPart("timestamp_granularities[]")).isNull();
    }

    @Test
    void aTranscriptionWhoseAnswerStallsMidBodyFailsWithinTheRequestTimeout() throws Exception {
        try (StallingHttpServer stalling = StallingHttpServer.stallingMidBody(VERBOSE_JSON)) {
            ProviderHttp http = new ProviderHttp("openai", KEY, "set OPENAI_API_KEY or --api-key-env",
                    new ProviderHttp.Timeouts(Duration.ofSeconds(2), Duration.ofSeconds(1)), RateLimitObserver.NONE, Clock.systemUTC());
            OpenAiTranscriber transcriber = new OpenAiTranscriber(http, stalling.baseUrl() + "/v1/", "whisper-1", KEY,
                    io.minutes.providers.cost.Prices.builtIn());

            TranscriberException e = assertTimeoutPreemptively(Duration.ofSeconds(20), () -> catchThrowableOfType(
                    TranscriberException.class, () -> transcriber.transcribe(audio, MediaFormat.MP3, "standup.mp3")));

            assertThat(e.failure().kind()).isEqualTo(Failure.Kind.TRANSIENT);
            assertThat(e.getMessage()).startsWith("standup.mp3: ").contains("--request-timeout");
        }
    }

    @Test
    void aRateLimitIsTransientWithTheProvidersDelay() {
        wiremock.stubFor(post(PATH).willReturn(aResponse().withStatus(429).withHeader("retry-after", "7")
                .withHeader("content-type", "application/json")
                .withBody("{\"error\": {\"message\": \"Rate limit reached for whisper-1 on requests per min (RPM): Limit 50.\", "
                        + "\"type\": \"requests\", \"param\": null, \"code\": \"rate_limit_exceeded\"}}")));

        assertThatThrownBy(() -> transcriber("whisper-1").transcribe(audio, MediaFormat.MP3, "standup.mp3"))
                .isInstanceOfSatisfying(TranscriberException.class, e -> {
                    assertThat(e.failure().kind()).isEqualTo(Failure.Kind.TRANSIENT);
                    assertThat(e.failure().retryAfter()).isEqualTo(Duration.ofSeconds(7));
                    assertThat(e.getMessage()).startsWith("standup.mp3: ").contains("429");
                });
    }

    @Test
    void aRefusedKeyIsPermanentNamesTheSettingAndNeverShowsTheKey() {
        wiremock.stubFor(post(PATH).willReturn(aResponse().withStatus(401).withHeader("content-type", "application/json")
                .withBody("{\"error\": {\"message\": \"Incorrect API key provided: " + KEY + ". You can find your API key at "
                        + "https://platform.openai.com/account/api-keys.\", \"type\": \"invalid_request_error\", \"param\": null, "
                        + "\"code\": \"invalid_api_key\"}}")));

        assertThatThrownBy(() -> transcriber("whisper-1").transcribe(audio, MediaFormat.MP3, "standup.mp3"))
                .isInstanceOfSatisfying(TranscriberException.class, e -> {
                    assertThat(e.failure().kind()).isEqualTo(Failure.Kind.PERMANENT);
                    assertThat(e.getMessage()).contains("401", "OPENAI_API_KEY").doesNotContain(KEY);
                });
    }

    @Test
    void aServerErrorIsTransient() {
        wiremock.stubFor(post(PATH).willReturn(aResponse().withStatus(503).withBody("upstream connect error")));

        assertThatThrownBy(() -> transcriber("whisper-1").transcribe(audio, MediaFormat.MP3, "standup.mp3"))
                .isInstanceOfSatisfying(TranscriberException.class,
                        e -> assertThat(e.failure().kind()).isEqualTo(Failure.Kind.TRANSIENT));
    }

    @Test
    void anAnswerWithoutTextIsPermanent() {
        wiremock.stubFor(post(PATH).willReturn(aResponse().withStatus(200).withHeader("content-type", "application/json")
                .withBody("{\"object\": \"list\", \"data\": []}")));

        assertThatThrownBy(() -> transcriber("whisper-1").transcribe(audio, MediaFormat.MP3, "standup.mp3"))
                .isInstanceOfSatisfying(TranscriberException.class, e -> {
                    assertThat(e.failure().kind()).isEqualTo(Failure.Kind.PERMANENT);
                    assertThat(e.getMessage()).contains("without 'text'");
                });
    }

    @Test
    void costIsByAudioMinuteFromThePriceTable() {
        assertThat(transcriber("whisper-1").costUsd(90)).isEqualTo(0.009, org.assertj.core.data.Offset.offset(1e-12));
        assertThat(transcriber("Systran/faster-whisper-small").costUsd(90)).isZero();
    }
}
