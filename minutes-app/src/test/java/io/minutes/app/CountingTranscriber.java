package io.minutes.app;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * An OpenAI-compatible {@code POST /v1/audio/transcriptions} over real HTTP that counts the calls it
 * answered per recording (told apart by the audio bytes sent). Once the first {@code together} calls
 * have all arrived, it runs {@code beforeAnswering} (a fault: a database cut, a full disk) once and then
 * answers them, so every paid transcription lands while the fault lasts. Answers as whisper-1 does
 * with {@code response_format=verbose_json}.
 */
final class CountingTranscriber implements AutoCloseable {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final Pattern BOUNDARY = Pattern.compile("boundary=(\\S+)");

    private final HttpServer server;
    private final int segments;
    private final CountDownLatch arrived;
    private final Runnable beforeAnswering;
    private final AtomicBoolean faulted = new AtomicBoolean();
    private final Map<String, AtomicInteger> answeredPerRecording = new ConcurrentHashMap<>();

    CountingTranscriber(int together, Runnable beforeAnswering) throws IOException {
        this(together, beforeAnswering, 0);
    }

    /** @param segments at least this many segments in each answer (a long transcript is a bigger checkpoint) */
    CountingTranscriber(int together, Runnable beforeAnswering, int segments) throws IOException {
        this.segments = segments;
        this.arrived = new CountDownLatch(together);
        this.beforeAnswering = beforeAnswering;
        this.server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 50);
        server.setExecutor(Executors.newVirtualThreadPerTaskExecutor());
        server.createContext("/v1/audio/transcriptions", this::transcribe);
        server.start();
    }

    /** The {@code --transcriber-base-url}. */
    String baseUrl() {
        return "http://127.0.0.1:" + server.getAddress().getPort() + "/v1";
    }

    private void transcribe(HttpExchange exchange) throws IOException {
        try (exchange) {
            byte[] body = exchange.getRequestBody().readAllBytes();
            String recording = recordingOf(body, exchange.getRequestHeaders().getFirst("content-type"));
            arrived.countDown();
            if (!arrived.await(60, TimeUnit.SECONDS)) throw new IllegalStateException("the other calls did not come");
            if (faulted.compareAndSet(false, true)) beforeAnswering.run();
            answeredPerRecording.computeIfAbsent(recording, r -> new AtomicInteger()).incrementAndGet();
            byte[] answer = verboseJson(recording).getBytes(StandardCharsets.UTF_8);
            exchange.getResponseHeaders().set("content-type", "application/json");
            exchange.sendResponseHeaders(200, answer.length);
            exchange.getResponseBody().write(answer);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    /** The multipart body without its boundary (random per request): the same recording gives the same digest. */
    private static String recordingOf(byte[] body, String contentType) {
        Matcher boundary = BOUNDARY.matcher(String.valueOf(contentType));
        String text = new String(body, StandardCharsets.ISO_8859_1);
        if (boundary.find()) text = text.replace(boundary.group(1), "");
        try {
            byte[] digest = MessageDigest.getInstance("SHA-256").digest(text.getBytes(StandardCharsets.ISO_8859_1));
            return HexFormat.of().formatHex(digest, 0, 8);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    /** What whisper heard: the meeting's words, and which recording it was, so that transcripts differ too. */
    private String verboseJson(String recording) {
        String[] sentences = TestRecordings.MEETING.split("(?<=[.?]) ");
        int count = Math.max(sentences.length, segments);
        ObjectNode answer = JSON.createObjectNode().put("task", "transcribe").put("language", "english")
                .put("duration", count * 3.0).put("text", TestRecordings.MEETING.strip());
        ArrayNode said = answer.putArray("segments");
        for (int i = 0; i < count; i++) {
            String text = sentences[i % sentences.length].strip() + (i == 0 ? " This is recording " + recording + "." : "");
            said.addObject().put("id", i).put("seek", 0).put("start", i * 3.0).put("end", i * 3.0 + 2.5)
                    .put("text", " " + text).put("temperature", 0.0).put("avg_logprob", -0.25)
                    .put("compression_ratio", 1.3).put("no_speech_prob", 0.01);
        }
        return answer.toString();
    }

    /** How many calls were answered for each recording (and so billed). */
    Map<String, Integer> answeredPerRecording() {
        Map<String, Integer> counts = new TreeMap<>();
        answeredPerRecording.forEach((recording, count) -> counts.put(recording, count.get()));
        return counts;
    }

    /** Whether the fault was set off (all of the first calls arrived). */
    boolean faulted() {
        return faulted.get();
    }

    @Override
    public void close() {
        server.stop(0);
    }
}
