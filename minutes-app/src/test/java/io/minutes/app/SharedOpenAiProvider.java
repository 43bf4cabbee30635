package io.minutes.app;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import io.minutes.providers.sim.MinuteLimit;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * One OpenAI-compatible chat completions endpoint that every node of a test calls, as every node of a
 * deployment calls the same provider account. It enforces a requests-per-minute limit the way the
 * sim does ({@link MinuteLimit}: per second, a bucket holding one second's allowance) and answers a
 * request over it as OpenAI does: 429, {@code rate_limit_exceeded}, {@code retry-after-ms}. Every
 * answer carries the {@code x-ratelimit-*} headers. It records when each request it served arrived and
 * which meeting (by the number in {@link TestTranscripts#text}) it was for.
 */
final class SharedOpenAiProvider implements AutoCloseable {
    static final String KEY = "sk-shared-test-0123456789";
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final Pattern MEETING_NUMBER = Pattern.compile("planning meeting number (\\d+)");

    private final HttpServer server;
    private final MinuteLimit requests;
    private final Duration latency;
    private final List<Long> servedAtNanos = new ArrayList<>();
    private final Map<Integer, AtomicInteger> servedPerMeeting = new ConcurrentHashMap<>();
    private final AtomicInteger refused = new AtomicInteger();
    /** The request bodies it answered 200, in arrival order. */
    private final Collection<String> answeredBodies = new ConcurrentLinkedQueue<>();
    /** When each call in flight arrived (a multiset: two calls may arrive in the same nanosecond). */
    private final Collection<Long> answeringSince = new ConcurrentLinkedQueue<>();

    SharedOpenAiProvider(long requestsPerMinute, Duration latency) throws IOException {
        this.requests = new MinuteLimit(requestsPerMinute, System.nanoTime());
        this.latency = latency;
        this.server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 200);
        server.setExecutor(Executors.newVirtualThreadPerTaskExecutor());
        server.createContext("/v1/chat/completions", this::complete);
        server.start();
    }

    /** The {@code --base-url} of the provider. */
    String baseUrl() {
        return "http://127.0.0.1:" + server.getAddress().getPort() + "/v1";
    }

    private void complete(HttpExchange exchange) throws IOException {
        try (exchange) {
            String body = new String(exchange.getRequestBody().readAllBytes(), StandardCharsets.UTF_8);
            if (!("Bearer " + KEY).equals(exchange.getRequestHeaders().getFirst("authorization"))) {
                answer(exchange, 401, error("Incorrect API key provided.", "invalid_request_error", "invalid_api_key"));
                return;
            }
            long waitNanos;
            synchronized (requests) {
                long now = System.nanoTime();
                waitNanos = requests.nanosUntil(1, now);
                if (waitNanos == 0) {
                    requests.take(1);
                    servedAtNanos.add(now);
                }
                rateLimitHeaders(exchange, now);
            }
            if (waitNanos > 0) {
                refused.incrementAndGet();
                long ms = Math.max(1, Duration.ofNanos(waitNanos).toMillis());
                exchange.getResponseHeaders().set("retry-after-ms", String.valueOf(ms));
                answer(exchange, 429, error("Rate limit reached for gpt-4o-mini on requests per min (RPM): Limit "
                        + requests.perMinute() + ". Please try again in " + ms + "ms.", "requests", "rate_limit_exceeded"));
                return;
            }
            Matcher meeting = MEETING_NUMBER.matcher(body);
            if (meeting.find()) {
                servedPerMeeting.computeIfAbsent(Integer.parseInt(meeting.group(1)), n -> new AtomicInteger()).incrementAndGet();
            }
            Long since = System.nanoTime();
            answeringSince.add(since);
            try {
                Thread.sleep(latency);
                answeredBodies.add(body);
                answer(exchange, 200, completion().toString());
            } finally {
                answeringSince.remove(since);
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    private void rateLimitHeaders(HttpExchange exchange, long now) {
        exchange.getResponseHeaders().set("x-ratelimit-limit-requests", String.valueOf(requests.perMinute()));
        exchange.getResponseHeaders().set("x-ratelimit-remaining-requests", String.valueOf(requests.remaining(now)));
        exchange.getResponseHeaders().set("x-ratelimit-reset-requests", requests.reset(now).toMillis() + "ms");
    }

    private static ObjectNode completion() {
        ObjectNode completion = JSON.createObjectNode();
        completion.put("id", "chatcmpl-shared").put("object", "chat.completion").put("created", 1764072000L).put("model", "gpt-4o-mini");
        ObjectNode choice = completion.putArray("choices").addObject().put("index", 0).put("finish_reason", "stop");
        choice.putObject("message").put("role", "assistant").put("content", ProviderRunTest.minutes().toString()).putNull("refusal");
        completion.putObject("usage").put("prompt_tokens", 300).put("completion_tokens", 120).put("total_tokens", 420);
        return completion;
    }

    private static String error(String message, String type, String code) {
        ObjectNode body = JSON.createObjectNode();
        body.putObject("error").put("message", message).put("type", type).putNull("param").put("code", code);
        return body.toString();
    }

    private static void answer(HttpExchange exchange, int status, String json) throws IOException {
        byte[] bytes = json.getBytes(StandardCharsets.UTF_8);
        exchange.getResponseHeaders().set("content-type", "application/json");
        exchange.sendResponseHeaders(status, bytes.length);
        exchange.getResponseBody().write(bytes);
    }

    /** Requests accepted and not answered yet: calls in flight. */
    int answering() {
        return answeringSince.size();
    }

    /** How long the oldest call in flight has been waiting for its answer; zero when none is. */
    Duration longestAnswering() {
        long now = System.nanoTime();
        return Duration.ofNanos(answeringSince.stream().mapToLong(since -> now - since).max().orElse(0));
    }

    /** The bodies of the requests answered 200 (what Minutes asked the provider). */
    List<String> answeredBodies() {
        return List.copyOf(answeredBodies);
    }

    /** Requests answered 429 because the nodes together went over the limit. */
    int refused() {
        return refused.get();
    }

    /** How many times each meeting was served (and so billed). */
    Map<Integer, Integer> servedPerMeeting() {
        Map<Integer, Integer> counts = new java.util.TreeMap<>();
        servedPerMeeting.forEach((meeting, count) -> counts.put(meeting, count.get()));
        return counts;
    }

    /** The most requests served in any window of {@code window}, over the whole run. */
    int peakServedWithin(Duration window) {
        List<Long> at;
        synchronized (requests) {
            at = List.copyOf(servedAtNanos);
        }
        int peak = 0;
        for (int first = 0, last = 0; last < at.size(); last++) {
            while (at.get(last) - at.get(first) >= window.toNanos()) first++;
            peak = Math.max(peak, last - first + 1);
        }
        return peak;
    }

    /** Requests served per second from the first to the last. */
    double meanServedPerSecond() {
        synchronized (requests) {
            if (servedAtNanos.size() < 2) return 0;
            return (servedAtNanos.size() - 1) / ((servedAtNanos.getLast() - servedAtNanos.getFirst()) / 1e9);
        }
    }

    String summary() {
        return String.format(Locale.ROOT, "served %d, refused %d (429), %.1f/s on average, peak %d in a second, limit %d/min",
                servedPerMeeting().values().stream().mapToInt(Integer::intValue).sum(), refused(), meanServedPerSecond(),
                peakServedWithin(Duration.ofSeconds(1)), requests.perMinute());
    }

    @Override
    public void close() {
        server.stop(0);
    }
}
