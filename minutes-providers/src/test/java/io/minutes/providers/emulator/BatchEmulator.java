package io.minutes.providers.emulator;

import com.fasterxml.jackson.databind.JsonNode;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;

import java.io.IOException;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * What both batch emulators share: one JDK {@link HttpServer} on a free local port, the batches it holds, the
 * timing a test sets (in millis, so a test's batch ends in well under a second), and the counts of what it
 * answered, per custom id and per meeting (by title), across its batch and realtime endpoints: a test asserts
 * "each meeting answered once" from these, not from what the client believes.
 */
public abstract class BatchEmulator implements AutoCloseable {
    protected final HttpServer server;
    protected final Map<String, EmulatedBatch> batches = Collections.synchronizedMap(new LinkedHashMap<>());
    private final Map<String, AtomicInteger> answeredPerCustomId = new ConcurrentHashMap<>();
    private final Map<String, AtomicInteger> answeredPerMeeting = new ConcurrentHashMap<>();
    private final AtomicInteger batchesCreated = new AtomicInteger();
    private final AtomicInteger ids = new AtomicInteger();
    private final Random shuffle = new Random(17);

    private volatile Duration validating = Duration.ofMillis(50);
    private volatile Duration running = Duration.ofMillis(300);
    private volatile Duration finalizing = Duration.ofMillis(50);
    private volatile Duration window = Duration.ofHours(24);
    private volatile Duration notFoundFor = Duration.ZERO;
    private volatile int answerPadding = 0;
    private volatile Duration callLatency = Duration.ZERO;

    protected BatchEmulator() throws IOException {
        server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 100);
        server.setExecutor(Executors.newVirtualThreadPerTaskExecutor());
    }

    protected final void start() {
        server.start();
    }

    public String origin() {
        return "http://127.0.0.1:" + server.getAddress().getPort();
    }

    /** The latency of a batch: how long its lines take to run, once validated. */
    public BatchEmulator running(Duration d) {
        running = d;
        return this;
    }

    public BatchEmulator validating(Duration d) {
        validating = d;
        return this;
    }

    public BatchEmulator finalizing(Duration d) {
        finalizing = d;
        return this;
    }

    /** The completion window: a batch still running when it passes expires (24 h at the providers). */
    public BatchEmulator window(Duration d) {
        window = d;
        return this;
    }

    /** For how long after its creation a batch is not found (404) when read: the providers' early-404 quirk. */
    public BatchEmulator notFoundFor(Duration d) {
        notFoundFor = d;
        return this;
    }

    /** How long a realtime call takes to be answered. */
    public BatchEmulator callLatency(Duration d) {
        callLatency = d;
        return this;
    }

    /** Waits out the realtime latency, as a model takes its time to answer. */
    protected void answering() {
        try {
            Thread.sleep(callLatency);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    /** Characters of summary in each answer (a large output file). */
    public BatchEmulator answerPadding(int chars) {
        answerPadding = chars;
        return this;
    }

    protected int answerPadding() {
        return answerPadding;
    }

    protected EmulatedBatch.Timing timing() {
        return new EmulatedBatch.Timing(validating, running, finalizing, window, notFoundFor);
    }

    protected String nextId(String prefix) {
        return prefix + Integer.toHexString(0x10000 + ids.incrementAndGet()) + Long.toHexString(System.nanoTime() & 0xffffff);
    }

    /** Stores a new batch, its lines put in the (shuffled) order they will finish in. */
    protected EmulatedBatch newBatch(String id, String key, String model, List<EmulatedLine> lines, EmulatedBatch.Refusal refusal) {
        List<EmulatedLine> order = new ArrayList<>(lines);
        synchronized (shuffle) {
            Collections.shuffle(order, shuffle);
        }
        EmulatedBatch batch = new EmulatedBatch(id, key, model, order, Instant.now(), System.nanoTime(), timing(), refusal);
        batches.put(id, batch);
        batchesCreated.incrementAndGet();
        return batch;
    }

    /**
     * A batch of {@code lines} meetings ("Meeting 1".., custom ids "m-1"..) that has already completed, made
     * without sending it (a 50,000-line request would only weigh on the test): for reading a large output.
     */
    public String completedBatch(String model, int lines) {
        List<EmulatedLine> all = new ArrayList<>(lines);
        for (int i = 1; i <= lines; i++) {
            all.add(new EmulatedLine("m-" + i, "Meeting " + i, List.of("Alice", "Bob"), 500, EmulatedLine.Outcome.ANSWERED));
        }
        String id = nextId(batchIdPrefix());
        EmulatedBatch batch = new EmulatedBatch(id, null, model, all, Instant.now().minusSeconds(60),
                System.nanoTime() - Duration.ofSeconds(60).toNanos(),
                new EmulatedBatch.Timing(Duration.ZERO, Duration.ofSeconds(1), Duration.ZERO, Duration.ofHours(24), Duration.ZERO), null);
        batches.put(id, batch);
        return id;
    }

    /** How this provider's batch ids begin ({@code batch_}, {@code msgbatch_}). */
    protected abstract String batchIdPrefix();

    /** Counts the lines a batch ran, once, when it has ended. */
    protected void settle(EmulatedBatch batch, long now) {
        if (!batch.countNow(now)) return;
        int n = batch.finished(now);
        for (int i = 0; i < n; i++) {
            EmulatedLine line = batch.lines.get(i);
            if (!EmulatedBatch.failsAtProvider(line)) answered(line);
        }
    }

    protected void answered(EmulatedLine line) {
        answeredPerCustomId.computeIfAbsent(line.customId(), k -> new AtomicInteger()).incrementAndGet();
        answeredPerMeeting.computeIfAbsent(line.title(), k -> new AtomicInteger()).incrementAndGet();
    }

    private void settleAll() {
        long now = System.nanoTime();
        List<EmulatedBatch> all;
        synchronized (batches) {
            all = List.copyOf(batches.values());
        }
        all.forEach(b -> settle(b, now));
    }

    /** How many times each custom id was answered (run and billed), over every batch and realtime call. */
    public Map<String, Integer> answeredPerCustomId() {
        settleAll();
        Map<String, Integer> out = new TreeMap<>();
        answeredPerCustomId.forEach((k, v) -> out.put(k, v.get()));
        return out;
    }

    /** How many times each meeting (by the title in its prompt) was answered, over every batch and realtime call. */
    public Map<String, Integer> answeredPerMeeting() {
        settleAll();
        Map<String, Integer> out = new TreeMap<>();
        answeredPerMeeting.forEach((k, v) -> out.put(k, v.get()));
        return out;
    }

    /** Provider batches created (refused ones included). */
    public int batchesCreated() {
        return batchesCreated.get();
    }

    protected static String body(HttpExchange exchange) throws IOException {
        return new String(exchange.getRequestBody().readAllBytes(), StandardCharsets.UTF_8);
    }

    protected static JsonNode json(String body) {
        try {
            return EmulatedMinutes.JSON.readTree(body);
        } catch (IOException e) {
            return null;
        }
    }

    protected static void send(HttpExchange exchange, int status, Object json) throws IOException {
        byte[] bytes = (json instanceof String s ? s : EmulatedMinutes.JSON.writeValueAsString(json)).getBytes(StandardCharsets.UTF_8);
        exchange.getResponseHeaders().set("content-type", "application/json");
        exchange.sendResponseHeaders(status, bytes.length);
        try (OutputStream out = exchange.getResponseBody()) {
            out.write(bytes);
        }
    }

    /** Streams lines made one at a time (chunked): the emulator never holds a whole output file either. */
    protected interface LineSource {
        void each(java.util.function.Consumer<String> line);
    }

    protected static void sendLines(HttpExchange exchange, String contentType, LineSource lines) throws IOException {
        exchange.getResponseHeaders().set("content-type", contentType);
        exchange.sendResponseHeaders(200, 0);
        try (OutputStream out = new java.io.BufferedOutputStream(exchange.getResponseBody(), 1 << 16)) {
            lines.each(line -> {
                try {
                    out.write(line.getBytes(StandardCharsets.UTF_8));
                    out.write('\n');
                } catch (IOException e) {
                    throw new java.io.UncheckedIOException(e);
                }
            });
        }
    }

    protected static Map<String, String> query(HttpExchange exchange) {
        Map<String, String> q = new LinkedHashMap<>();
        String raw = exchange.getRequestURI().getRawQuery();
        if (raw == null) return q;
        for (String pair : raw.split("&")) {
            int eq = pair.indexOf('=');
            if (eq > 0) q.put(pair.substring(0, eq), java.net.URLDecoder.decode(pair.substring(eq + 1), StandardCharsets.UTF_8));
        }
        return q;
    }

    @Override
    public void close() {
        server.stop(0);
    }
}
