package io.minutes.providers.audio;

import com.github.tomakehurst.wiremock.WireMockServer;
import com.github.tomakehurst.wiremock.client.ResponseDefinitionBuilder;
import com.github.tomakehurst.wiremock.core.WireMockConfiguration;
import com.github.tomakehurst.wiremock.stubbing.Scenario;
import com.github.tomakehurst.wiremock.stubbing.ServeEvent;
import io.minutes.core.domain.Failure;
import io.minutes.core.domain.MediaFormat;
import io.minutes.core.port.CallAdmission;
import io.minutes.core.port.RateLimitObserver;
import io.minutes.core.port.Transcriber;
import io.minutes.core.port.TranscriberException;
import io.minutes.providers.cost.Prices;
import io.minutes.providers.http.ProviderHttp;
import io.minutes.providers.http.RetryInPlace;
import io.minutes.providers.openai.OpenAiTranscriber;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.time.Clock;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

import static com.github.tomakehurst.wiremock.client.WireMock.aResponse;
import static com.github.tomakehurst.wiremock.client.WireMock.post;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

/**
 * Before (issues 14 and 19): a recording sent in pieces whose third piece was refused with a 429, or failed
 * with a 5xx, failed its transcription as a whole, and the meeting's next try sent pieces 1 and 2 again,
 * already transcribed and paid for. Now a later piece is sent again in place, and the pieces heard are held
 * for a try that still has to come back: the service transcribes each piece exactly once.
 */
class TranscribedPiecesAreNotPaidTwiceTest {
    private static final String PATH = "/v1/audio/transcriptions";
    private static final long UPLOAD_LIMIT = 300_000;

    private WireMockServer wiremock;
    private Path recording;

    @BeforeEach
    void start() throws Exception {
        SpeechAudio.assumeTools();
        recording = SpeechAudio.looped(SpeechAudio.speech("meeting", SpeechAudio.MEETING), 12, "three-minutes.mp3",
                "-ac", "1", "-c:a", "libmp3lame", "-b:a", "64k");
        wiremock = new WireMockServer(WireMockConfiguration.options().dynamicPort());
        wiremock.start();
    }

    @AfterEach
    void stop() {
        if (wiremock != null) wiremock.stop();
    }

    @Test
    void aThirdPieceRefusedWith429IsSentAgainAlone() throws Exception {
        failThirdUpload(1, aResponse().withStatus(429).withHeader("retry-after-ms", "200")
                .withHeader("content-type", "application/json")
                .withBody("{\"error\": {\"message\": \"Rate limit reached for whisper-1 on requests per min (RPM): Limit 3. "
                        + "Please try again in 200ms.\", \"type\": \"requests\", \"param\": null, \"code\": \"rate_limit_exceeded\"}}"));

        Transcriber.Result result = transcriber().transcribe(request());

        assertThat(result.transcript().segments()).isNotEmpty();
        assertEachPieceTranscribedOnce(1);
    }

    @Test
    void aThirdPieceFailingPastTheRetriesInPlaceLeavesThePiecesHeardHeldForTheNextTry() throws Exception {
        int failures = RetryInPlace.TRANSIENT_TRIES + 1;
        failThirdUpload(failures, aResponse().withStatus(500).withHeader("content-type", "application/json")
                .withBody("{\"error\": {\"message\": \"The server had an error while processing your request.\", "
                        + "\"type\": \"server_error\", \"param\": null, \"code\": null}}"));
        AudioTranscriber transcriber = transcriber();

        TranscriberException first = catchThrowableOfType(TranscriberException.class, () -> transcriber.transcribe(request()));
        assertThat(first.failure().kind()).isEqualTo(Failure.Kind.TRANSIENT);
        assertThat(first.getMessage()).contains("piece 3", "500");
        Transcriber.Result result = transcriber.transcribe(request());

        assertThat(result.transcript().segments()).isNotEmpty();
        assertEachPieceTranscribedOnce(failures);
    }

    /** Uploads 1 and 2 answered, upload 3 (and the {@code failures - 1} after it) answered {@code failure}, then answered. */
    private void failThirdUpload(int failures, ResponseDefinitionBuilder failure) {
        ResponseDefinitionBuilder heard = aResponse().withStatus(200).withHeader("content-type", "application/json")
                .withBody(AudioTranscriberTest.PIECE_JSON);
        String state = Scenario.STARTED;
        for (int i = 1; i <= 2 + failures; i++) {
            String next = "upload " + (i + 1);
            wiremock.stubFor(post(PATH).inScenario("pieces").whenScenarioStateIs(state).willSetStateTo(next)
                    .willReturn(i <= 2 ? heard : failure));
            state = next;
        }
        wiremock.stubFor(post(PATH).inScenario("pieces").whenScenarioStateIs(state).willReturn(heard));
    }

    /** Every distinct piece (by the bytes of the file sent) was answered 200 exactly once. */
    private void assertEachPieceTranscribedOnce(int failures) throws Exception {
        List<ServeEvent> served = wiremock.getAllServeEvents();
        Map<String, Integer> answered = new TreeMap<>();
        for (ServeEvent event : served) {
            String piece = HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256")
                    .digest(event.getRequest().getPart("file").getBody().asBytes()));
            answered.merge(piece, event.getResponse().getStatus() == 200 ? 1 : 0, Integer::sum);
        }
        assertThat(answered).as("split into at least 3 pieces").hasSizeGreaterThanOrEqualTo(3);
        assertThat(answered).as("each piece transcribed (and paid) once").allSatisfy((piece, times) -> assertThat(times).isEqualTo(1));
        assertThat(served).as("the pieces and the failed uploads of the third").hasSize(answered.size() + failures);
    }

    private AudioTranscriber transcriber() {
        ProviderHttp http = new ProviderHttp("openai", null, "set OPENAI_API_KEY", ProviderHttp.Timeouts.DEFAULT,
                RateLimitObserver.NONE, Clock.systemUTC());
        return new AudioTranscriber("openai", new OpenAiTranscriber(http, wiremock.baseUrl() + "/v1", "whisper-1", null,
                Prices.builtIn()), Ffmpeg.onPath(), UPLOAD_LIMIT, Double.POSITIVE_INFINITY, OpenAiTranscriber.ACCEPTED, CallAdmission.NONE);
    }

    private Transcriber.Request request() throws Exception {
        return new Transcriber.Request("mtg_1", "three-minutes.mp3", "t", MediaFormat.MP3, Files.size(recording),
                () -> Files.newInputStream(recording));
    }
}
