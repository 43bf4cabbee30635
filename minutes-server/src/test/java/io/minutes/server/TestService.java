package io.minutes.server;

import io.minutes.core.engine.InProcessStoreEvents;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.minutes.core.analysis.LocalAnalyzer;
import io.minutes.core.domain.Failure;
import io.minutes.core.domain.Usage;
import io.minutes.core.engine.Dispatcher;
import io.minutes.core.engine.InProcessStoreEvents;
import io.minutes.core.domain.ProgressEvent;
import io.minutes.core.engine.EngineSettings;
import io.minutes.core.engine.RetryPolicy;
import io.minutes.core.ingest.Ingestor;
import io.minutes.core.ingest.ZipLimits;
import io.minutes.core.port.Analyzer;
import io.minutes.core.port.AnalyzerException;
import io.minutes.core.port.MeetingStore;
import io.minutes.core.port.ResultCache;
import io.minutes.core.port.StoreEvents;
import io.minutes.core.node.Node;
import io.minutes.store.blob.FolderBlobStore;
import io.minutes.store.jdbc.JdbcMeetingStore;
import io.minutes.store.sqlite.SqliteMeetingStore;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.concurrent.Semaphore;

/**
 * A real service for tests: a SQLite file, the real engine, the server on a random loopback port,
 * and an HTTP client. The analyzer is the offline one behind a {@link Gate}: meetings whose title
 * starts with "fail" fail permanently on their first attempt; with the gate closed, meetings wait.
 * It stands for a paid provider: {@link #providerCalls} counts the calls that reach it, each estimated
 * at up to {@link #maxCostPerCall} and costing {@link #costPerCall} (both 0 unless a test sets them).
 * As in {@code serve}, the result cache answers before it, and the engine holds batches to their budgets.
 */
final class TestService implements AutoCloseable {
    static final ObjectMapper JSON = new ObjectMapper();
    /** The service's max-attempts: what a batch without options.max_attempts gets. */
    static final int MAX_ATTEMPTS = 3;
    static final String TRANSCRIPT = "Alice: We decided to ship the release on Friday after the review.\n"
            + "Bob: I will write the release notes by Monday and send them to the team.\n"
            + "Alice: What about the budget for the next quarter? Carol should check it.\n";

    /** Lets meetings through one permit at a time once closed; open by default. */
    static final class Gate {
        private final Semaphore permits = new Semaphore(Integer.MAX_VALUE / 2);
        private volatile boolean closed;

        void close() {
            closed = true;
            permits.drainPermits();
        }

        void open() {
            closed = false;
            permits.release(Integer.MAX_VALUE / 2);
        }

        void release(int meetings) {
            permits.release(meetings);
        }

        void pass() throws InterruptedException {
            if (closed) permits.acquire();
        }
    }

    final MeetingStore store;
    /** The result cache the engine answers from: the store's own tables, as serve's. */
    final ResultCache results;
    final EventHub hub;
    final Node node;
    final Dispatcher dispatcher;
    final MinutesServer server;
    final Gate gate = new Gate();
    final HttpClient http = HttpClient.newHttpClient();
    final URI base;
    final ServerMetrics metrics = new ServerMetrics();
    final java.util.concurrent.atomic.AtomicInteger providerCalls = new java.util.concurrent.atomic.AtomicInteger();
    volatile double maxCostPerCall;
    volatile double costPerCall;

    TestService(Path dir) throws IOException {
        this(dir, 1_000, 10_000_000, 10_000, Duration.ofSeconds(30));
    }

    TestService(Path dir, int maxBatch, long maxUpload, int maxQueued, Duration processTimeout) throws IOException {
        this(dir, maxBatch, maxUpload, maxQueued, processTimeout, new LocalAnalyzer());
    }

    /** @param provider what the gate lets meetings through to (the offline analyzer, or the sim provider) */
    TestService(Path dir, int maxBatch, long maxUpload, int maxQueued, Duration processTimeout, Analyzer provider) throws IOException {
        this(dir, maxBatch, maxUpload, maxQueued, processTimeout, provider, ServerOptions.DEFAULT_REQUEST_HEADER_TIMEOUT);
    }

    /** @param headerTimeout how long a request's headers may take (slow clients are closed after it) */
    TestService(Path dir, int maxBatch, long maxUpload, int maxQueued, Duration processTimeout, Analyzer provider,
                Duration headerTimeout) throws IOException {
        this(dir, maxBatch, maxUpload, maxQueued, processTimeout, provider,
                events -> SqliteMeetingStore.open(dir.resolve("minutes.db"), events), headerTimeout);
    }

    /**
     * The same service on the store {@code openStore} opens (PostgreSQL, say) announcing on the events given, which
     * is its result cache as well; closing the service closes it.
     */
    TestService(Path dir, java.util.function.Function<StoreEvents, JdbcMeetingStore> openStore) throws IOException {
        this(dir, 1_000, 10_000_000, 10_000, Duration.ofSeconds(30), new LocalAnalyzer(), openStore, ServerOptions.DEFAULT_REQUEST_HEADER_TIMEOUT);
    }

    /**
     * The same service saying its provider is {@code provider} (openai: options.lane batch is taken); no batch lane
     * runs in it, so meetings planned for a provider batch wait to be packed by the test, as the lane packs them.
     */
    TestService(Path dir, String provider) throws IOException {
        this(dir, 1_000, 10_000_000, 10_000, Duration.ofSeconds(30), new LocalAnalyzer(),
                events -> SqliteMeetingStore.open(dir.resolve("minutes.db"), events), ServerOptions.DEFAULT_REQUEST_HEADER_TIMEOUT,
                provider);
    }

    /** How the service works out a deadline's cut-over: 4 calls at a time, 30 s each; a buffer of 5 min; 500 output tokens a call. */
    static final io.minutes.core.lane.CutOverWatch.Settings DEADLINES = new io.minutes.core.lane.CutOverWatch.Settings(
            new io.minutes.core.lane.RealtimeDrain(io.minutes.core.engine.RateLimits.NONE, 4, Duration.ofSeconds(30),
                    Duration.ofSeconds(90)), io.minutes.core.lane.DeadlineBuffer.fixed(Duration.ofMinutes(5)),
            io.minutes.core.lane.BatchLatency.assumed(Duration.ofHours(1)), 500);

    private TestService(Path dir, int maxBatch, long maxUpload, int maxQueued, Duration processTimeout, Analyzer provider,
                        java.util.function.Function<StoreEvents, JdbcMeetingStore> openStore, Duration headerTimeout) throws IOException {
        this(dir, maxBatch, maxUpload, maxQueued, processTimeout, provider, openStore, headerTimeout, "gated-local");
    }

    private TestService(Path dir, int maxBatch, long maxUpload, int maxQueued, Duration processTimeout, Analyzer provider,
                        java.util.function.Function<StoreEvents, JdbcMeetingStore> openStore, Duration headerTimeout,
                        String serviceProvider) throws IOException {
        InProcessStoreEvents events = new InProcessStoreEvents();
        JdbcMeetingStore opened = openStore.apply(events);
        this.store = opened;
        this.results = opened;
        hub = new EventHub(Clock.systemUTC());
        Analyzer local = provider;
        Analyzer gated = new Analyzer() {
            @Override
            public String name() {
                return "gated-local";
            }

            @Override
            public Result analyze(Request request) throws AnalyzerException {
                try {
                    gate.pass();
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                    throw new AnalyzerException(Failure.transientFailure("interrupted"));
                }
                providerCalls.incrementAndGet();
                if (request.title().startsWith("fail") && retried.add(request.meetingId())) {
                    throw new AnalyzerException(Failure.permanent("the provider refused " + request.title()));
                }
                Result result = local.analyze(request);
                return new Result(result.analysis(), new Usage(1000, 200, costPerCall));
            }

            @Override
            public Estimate estimate(Request request) {
                return new Estimate(1000, 500, maxCostPerCall);
            }
        };
        // the engine as serve starts it, on the same core Node: the gate stands for the provider, metered as serve meters it
        FolderBlobStore blobs = new FolderBlobStore(dir.resolve("blobs"));
        node = Node.builder(store, events, gated)
                .meter(analyzer -> new MeteredAnalyzer(analyzer, metrics))
                .resultCache(results, "gated-local")
                .blobs(blobs)
                .engine(new EngineSettings(4, Duration.ofSeconds(30), Duration.ofMillis(200)))
                .retryPolicy(RetryPolicy.builder().maxAttempts(MAX_ATTEMPTS).baseDelay(Duration.ofMillis(10)).maxDelay(Duration.ofMillis(50)).build())
                .deadlines(DEADLINES)
                .closing(events)
                .closing(store)
                .build();
        dispatcher = node.dispatcher();
        node.listen(new StoreEvents.Listener() {
            @Override
            public void progress(ProgressEvent event) {
                hub.publish(event);
            }
        });
        Ingestor ingestor = new Ingestor(Ingestor.DEFAULT_MIN_TRANSCRIPT_CHARS);
        // uploads are read as serve reads them: ZIP archives, recordings (kept in a blob folder) and all
        MeetingReader reader = MeetingReader.of(ingestor, ZipLimits.ofDefaults(), blobs);
        node.start();
        server = new MinutesServer(new ServerOptions("127.0.0.1", 0, maxBatch, maxUpload, maxQueued, processTimeout,
                dir.resolve("uploads"), serviceProvider, "gated-local", headerTimeout),
                new MinutesServer.Dependencies(node, ingestor, reader, hub,
                        m -> "# " + m.analysis().title() + "\n\n" + m.analysis().summary() + "\n",
                        metrics, Clock.systemUTC())).start();
        base = URI.create("http://127.0.0.1:" + server.port());
    }

    private final java.util.Set<String> retried = java.util.concurrent.ConcurrentHashMap.newKeySet();

    record Answer(int status, HttpResponse<String> response, JsonNode json) {
        String header(String name) {
            return response.headers().firstValue(name).orElse(null);
        }

        String body() {
            return response.body();
        }
    }

    Answer get(String path, String... headers) throws IOException, InterruptedException {
        return send(request(path, headers).GET().build());
    }

    Answer post(String path, String json, String... headers) throws IOException, InterruptedException {
        return send(request(path, headers).header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString(json)).build());
    }

    HttpRequest.Builder request(String path, String... headers) {
        HttpRequest.Builder b = HttpRequest.newBuilder(base.resolve(path)).timeout(Duration.ofSeconds(60));
        for (int i = 0; i < headers.length; i += 2) b.header(headers[i], headers[i + 1]);
        return b;
    }

    Answer send(HttpRequest request) throws IOException, InterruptedException {
        HttpResponse<String> res = http.send(request, HttpResponse.BodyHandlers.ofString());
        JsonNode json = null;
        String type = res.headers().firstValue("Content-Type").orElse("");
        if (type.contains("json") && !type.contains("ndjson")) json = JSON.readTree(res.body());
        return new Answer(res.statusCode(), res, json);
    }

    /** A JSON batch body of meetings with these titles, each with a real transcript of its own (no duplicates). */
    static String batchOf(String... titles) {
        var root = JSON.createObjectNode();
        var meetings = root.putArray("meetings");
        for (String title : titles) meetings.addObject().put("title", title).put("transcript", transcriptAbout(title));
        return root.toString();
    }

    /** The same with {@code "options": options} (a JSON object). */
    static String batchWithOptions(String options, String... titles) throws IOException {
        var root = (com.fasterxml.jackson.databind.node.ObjectNode) JSON.readTree(batchOf(titles));
        root.set("options", JSON.readTree(options));
        return root.toString();
    }

    /** {@link #TRANSCRIPT} with the topic named, so each topic's is another meeting. */
    static String transcriptAbout(String topic) {
        return TRANSCRIPT.replace("the budget for the next quarter", "the budget for " + topic);
    }

    @Override
    public void close() {
        gate.open();
        server.close();
        node.close();
    }
}
