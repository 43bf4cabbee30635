package io.minutes.providers.openai;

import com.fasterxml.jackson.databind.JsonNode;
import io.minutes.core.domain.Failure;
import io.minutes.core.domain.MediaFormat;
import io.minutes.core.domain.Segment;
import io.minutes.core.port.TranscriberException;
import io.minutes.providers.audio.FileTranscriber;
import io.minutes.providers.cost.Prices;
import io.minutes.providers.http.ProviderException;
import io.minutes.providers.http.ProviderHttp;

import java.io.FileNotFoundException;
import java.net.URI;
import java.net.http.HttpRequest;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.HexFormat;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.concurrent.ThreadLocalRandom;

/**
 * OpenAI-compatible speech to text: {@code POST {base}/audio/transcriptions}, multipart with
 * {@code file}, {@code model}, {@code response_format=verbose_json} and
 * {@code timestamp_granularities[]=segment} (whisper-1, faster-whisper servers, vLLM). The
 * gpt-4o(-mini)-transcribe models only answer {@code json}/{@code text}: their answer has no segments,
 * so the whole file becomes one segment (the splitter keeps pieces short enough for that to be useful).
 * Errors are classified by the shared table of {@link ProviderHttp}.
 */
public final class OpenAiTranscriber implements FileTranscriber {
    /** What OpenAI's endpoint takes as it is (flac, mp3, mp4, mpeg, mpga, m4a, ogg, wav, webm). */
    public static final Set<MediaFormat> ACCEPTED = EnumSet.of(MediaFormat.FLAC, MediaFormat.MP3, MediaFormat.MP4,
            MediaFormat.M4A, MediaFormat.OGG, MediaFormat.WAV, MediaFormat.WEBM);
    /** OpenAI's upload limit for one file. */
    public static final long DEFAULT_UPLOAD_LIMIT_BYTES = 25L * 1024 * 1024;
    private final ProviderHttp http;
    private final URI endpoint;
    private final String model;
    private final String apiKey;
    private final Prices prices;

    /**
     * @param apiKey sent as a bearer token; null or blank for servers that need none
     * @param prices per audio minute; a model it does not know (e.g. self-hosted) costs nothing
     */
    public OpenAiTranscriber(ProviderHttp http, String baseUrl, String model, String apiKey, Prices prices) {
        this.http = http;
        this.endpoint = URI.create(baseUrl.replaceAll("/+$", "") + "/audio/transcriptions");
        this.model = model;
        this.apiKey = apiKey;
        this.prices = prices;
    }

    @Override
    public String name() {
        return "openai " + model;
    }

    @Override
    public double costUsd(double audioSeconds) {
        return prices.audioCost(model, audioSeconds / 60.0);
    }

    /**
     * The longest audio the model takes in one request: the gpt-4o transcribe models refuse more than
     * 1,500 s (1,400 s for the diarizing one) with a 400; whisper-1 is bounded by the upload size only.
     */
    public static double maxSecondsFor(String model) {
        return model.toLowerCase(Locale.ROOT).startsWith("gpt-4o") ? 1_400 : Double.POSITIVE_INFINITY;
    }

    /** The gpt-4o transcribe models answer json or text only. */
    boolean segmentsSupported() {
        return !model.toLowerCase(Locale.ROOT).startsWith("gpt-4o");
    }

    @Override
    public Heard transcribe(Path file, MediaFormat format, String source) throws TranscriberException {
        String boundary = "minutes-" + HexFormat.of().toHexDigits(ThreadLocalRandom.current().nextLong());
        StringBuilder fields = new StringBuilder();
        field(fields, boundary, "model", model);
        if (segmentsSupported()) {
            field(fields, boundary, "response_format", "verbose_json");
            field(fields, boundary, "timestamp_granularities[]", "segment");
        } else {
            field(fields, boundary, "response_format", "json");
        }
        fields.append("--").append(boundary).append("\r\n")
                .append("Content-Disposition: form-data; name=\"file\"; filename=\"audio.").append(format.extension()).append("\"\r\n")
                .append("Content-Type: ").append(format.mediaType()).append("\r\n\r\n");
        HttpRequest.BodyPublisher body;
        try {
            body = HttpRequest.BodyPublishers.concat(
                    HttpRequest.BodyPublishers.ofString(fields.toString(), StandardCharsets.UTF_8),
                    HttpRequest.BodyPublishers.ofFile(file),
                    HttpRequest.BodyPublishers.ofString("\r\n--" + boundary + "--\r\n", StandardCharsets.UTF_8));
        } catch (FileNotFoundException e) {
            throw new TranscriberException(Failure.of(Failure.Cause.LOCAL_TRANSIENT, source + ": the audio to send is gone: " + e.getMessage()), e);
        }
        HttpRequest.Builder request = HttpRequest.newBuilder(endpoint)
                .header("content-type", "multipart/form-data; boundary=" + boundary)
                .header("accept", "application/json")
                .POST(body);
        if (apiKey != null && !apiKey.isBlank()) request.header("authorization", "Bearer " + apiKey);
        try {
            return heard(http.send(request).json(), source);
        } catch (ProviderException e) {
            throw new TranscriberException(new Failure(e.failure().cause(), source + ": " + e.getMessage(),
                    e.failure().retryAfter()), e);
        }
    }

    private Heard heard(JsonNode answer, String source) throws TranscriberException {
        List<Segment> segments = new ArrayList<>();
        if (answer.path("segments").isArray() && !answer.path("segments").isEmpty()) {
            for (JsonNode s : answer.path("segments")) {
                segments.add(new Segment(null, s.path("start").asDouble(), s.path("end").asDouble(), s.path("text").asText("").strip()));
            }
        } else if (answer.path("text").isTextual()) {
            String text = answer.path("text").asText().strip();
            if (!text.isEmpty()) segments.add(Segment.of(null, text));
        } else {
            throw new TranscriberException(Failure.of(Failure.Cause.UNUSABLE_ANSWER, source + ": " + http.provider() + " answered without 'text' or "
                    + "'segments': " + http.mask(abbreviate(answer.toString()))));
        }
        Double seconds = null;
        if (answer.path("duration").isNumber()) seconds = answer.path("duration").asDouble();
        else if ("duration".equals(answer.path("usage").path("type").asText())) seconds = answer.path("usage").path("seconds").asDouble();
        return new Heard(segments, seconds);
    }

    private static void field(StringBuilder out, String boundary, String name, String value) {
        out.append("--").append(boundary).append("\r\n")
                .append("Content-Disposition: form-data; name=\"").append(name).append("\"\r\n\r\n")
                .append(value).append("\r\n");
    }

    private static String abbreviate(String s) {
        return s.length() > 300 ? s.substring(0, 300) + "..." : s;
    }
}
