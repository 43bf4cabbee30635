package io.minutes.server;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.javalin.Javalin;
import io.javalin.compression.CompressionStrategy;
import io.javalin.config.SizeUnit;
import io.javalin.http.Context;
import io.javalin.http.Handler;
import io.javalin.http.HandlerType;
import io.javalin.http.staticfiles.Location;
import io.minutes.core.domain.Meeting;
import io.minutes.core.node.Node;
import io.minutes.core.submission.Submissions;
import io.minutes.core.ingest.Ingestor;
import io.minutes.core.port.MeetingStore;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.time.Clock;
import java.util.List;
import java.util.Map;

/**
 * The HTTP service: the routes of {@link #ROUTES} (each described in /api/v1/openapi.json), API-key
 * authentication on /api, and one mapper from {@link ApiException} to RFC 9457 problem+json.
 * {@code /} is left free for the web UI.
 */
public final class MinutesServer implements AutoCloseable {
    private static final Logger log = LoggerFactory.getLogger(MinutesServer.class);
    static final String PROBLEM_JSON = "application/problem+json";

    /** One route: what the OpenAPI document says about it, and who handles it. */
    record Route(HandlerType method, String path, String summary, List<Integer> statuses, Handler handler) {
    }

    /**
     * What the service needs from the rest of the application: the {@code node} whose store it serves and
     * whose engine processes what is submitted (its estimator estimates a batch that has a budget before it
     * is accepted, with the analyzer and result cache the engine uses); how uploaded files become meetings;
     * where progress reaches SSE clients; how a meeting's minutes are written as Markdown.
     */
    /** {@code lanes}: plans the lanes of a batch submitted with options.lane other than realtime or options.deadline (null: none). */
    public record Dependencies(Node node, Ingestor ingestor, MeetingReader reader, EventHub hub, Markdown markdown,
                               ServerMetrics metrics, Clock clock, io.minutes.core.lane.LanePlans lanes) {
        public Dependencies(Node node, Ingestor ingestor, MeetingReader reader, EventHub hub, Markdown markdown,
                            ServerMetrics metrics, Clock clock) {
            this(node, ingestor, reader, hub, markdown, metrics, clock, null);
        }

        public MeetingStore store() {
            return node.store();
        }
    }

    /** A meeting's minutes as Markdown (the ZIP of results holds one file per meeting). */
    @FunctionalInterface
    public interface Markdown {
        String render(Meeting meeting);
    }

    final List<Route> routes;
    private final Javalin app;
    /** How long a body may arrive slower than the minimum rate before it is cut: a slow start is not an attack. */
    static final java.time.Duration SLOW_BODY_GRACE = java.time.Duration.ofSeconds(5);
    private final SlowClients slowClients;

    public MinutesServer(ServerOptions options, Dependencies deps) {
        try {
            java.nio.file.Files.createDirectories(options.uploadDir()); // Jetty spools large parts there
        } catch (java.io.IOException e) {
            throw new java.io.UncheckedIOException("cannot create the upload folder " + options.uploadDir(), e);
        }
        Node node = deps.node();
        Submissions submissions = new Submissions(node.store(), node.store(), node.estimator(), options.maxQueuedMeetings(),
                deps.clock(), deps.lanes());
        BatchReads reads = new BatchReads(deps.store(), deps.store(), deps.hub(), deps.markdown(), options, deps.clock(),
                node.deadlines().orElse(null));
        BatchCommands commands = new BatchCommands(deps.store(), deps.ingestor(), deps.reader(), deps.hub(), submissions,
                new RequestBodies(options), reads, options, deps.clock(), node.stylist());
        BatchEvents events = new BatchEvents(deps.store(), deps.hub(), reads);
        StoreHealth storeHealth = new StoreHealth(deps.store(), deps.clock());
        Auth auth = new Auth(deps.store(), deps.clock(), storeHealth);
        deps.metrics().bind(deps.store(), deps.hub());
        String b = "/api/v1/meetings/batch";
        this.routes = List.of(
                new Route(HandlerType.POST, b, "Submit a batch of transcripts as JSON", List.of(202, 400, 401, 413, 503), commands::submit),
                new Route(HandlerType.POST, b + "/upload", "Upload transcript, ZIP and audio files (multipart field 'files')", List.of(202, 400, 401, 413, 503), commands::upload),
                new Route(HandlerType.GET, b, "List batches, newest first (?limit, ?before)", List.of(200, 400, 401), reads::list),
                new Route(HandlerType.GET, b + "/{id}", "A batch's counts, tokens, cost, ETA and results in input order", List.of(200, 401, 404), reads::status),
                new Route(HandlerType.GET, b + "/{id}/results", "Results as NDJSON, or ?format=zip for Markdown minutes", List.of(200, 400, 401, 404), reads::results),
                new Route(HandlerType.POST, b + "/{id}/cancel", "Cancel a batch's queued and running meetings", List.of(200, 401, 404, 409), commands::cancel),
                new Route(HandlerType.POST, b + "/{id}/retry", "Queue a batch's failed meetings again", List.of(202, 401, 404, 409, 503), commands::retry),
                new Route(HandlerType.GET, b + "/{id}/events", "Server-sent events: progress, meeting, done", List.of(200, 401, 404), events::events),
                new Route(HandlerType.GET, "/api/v1/meetings/{meeting_id}", "One meeting: transcript, minutes, attempts", List.of(200, 401, 404), reads::meeting),
                new Route(HandlerType.POST, "/api/v1/meetings/process", "Process one meeting and wait for its minutes (?timeout_seconds)", List.of(200, 400, 401, 503, 504), commands::process),
                new Route(HandlerType.GET, "/api/v1/capacity", "Queue depth, limit and throughput", List.of(200, 401), reads::capacity),
                new Route(HandlerType.GET, HEALTH, "Liveness: answers at once, whatever the store's state (no API key needed)", List.of(200), ctx -> health(ctx, deps, storeHealth)),
                new Route(HandlerType.GET, READY, "Readiness: the store takes a write now and the engine runs; answers within a second (no API key needed)", List.of(200, 503), ctx -> ready(ctx, deps, storeHealth)),
                new Route(HandlerType.GET, "/api/v1/openapi.json", "This document", List.of(200, 401), ctx -> json(ctx, openApi())),
                new Route(HandlerType.GET, "/metrics", "Prometheus metrics", List.of(200), ctx -> ctx.contentType("text/plain; version=0.0.4; charset=utf-8").result(deps.metrics().scrape(storeHealth))));

        this.slowClients = new SlowClients(options.requestHeaderTimeout());
        this.app = Javalin.create(config -> {
            config.concurrency.useVirtualThreads = true;
            config.jetty.host = options.host();
            config.jetty.port = options.port();
            config.http.compressionStrategy = CompressionStrategy.NONE; // SSE frames must leave at once
            config.http.maxRequestSize = options.maxUploadBytes();
            config.jetty.multipartConfig.cacheDirectory(options.uploadDir().toString());
            config.jetty.multipartConfig.maxInMemoryFileSize(1, SizeUnit.MB);
            config.jetty.multipartConfig.maxFileSize(options.maxUploadBytes(), SizeUnit.BYTES);
            config.jetty.multipartConfig.maxTotalRequestSize(options.maxUploadBytes(), SizeUnit.BYTES);
            config.startup.showJavalinBanner = false;
            // what Jetty refuses before Javalin sees the request (a malformed URI, headers over its limit)
            config.jetty.modifyServer(server -> server.setErrorHandler(new JettyProblems()));
            config.jetty.modifyServer(slowClients::watch);
            config.jetty.modifyServer(new SlowBodies(ServerOptions.MIN_REQUEST_BYTES_PER_SECOND, SLOW_BODY_GRACE)::guard);
            config.staticFiles.add("/ui", Location.CLASSPATH); // the web UI at /: plain HTML, CSS and JS
            config.staticFiles.enableWebjars(); // uPlot for the throughput chart
            config.routes.before(BrowserGuard::securityHeaders);
            config.routes.before(BrowserGuard::refuseCrossSiteWrites);
            config.routes.before("/api/*", ctx -> refuseWhileStoreIsDown(ctx, storeHealth));
            config.routes.before("/api/*", auth::check);
            for (Route route : routes) config.routes.addHttpHandler(route.method(), route.path(), route.handler());
            config.routes.exception(ApiException.class, (e, ctx) -> problem(ctx, e));
            config.routes.exception(Exception.class, (e, ctx) -> {
                var refused = ApiException.ofBodyFailure(e);
                if (refused.isPresent()) {
                    problem(ctx, refused.get());
                    return;
                }
                if (StoreHealth.isDatabaseFailure(e)) { // the store's state, not a bug: say so, and refuse at once until it is back
                    storeHealth.failed(e);
                    log.warn("{} {}: the store failed: {}", ctx.method(), ctx.path(), e.toString());
                    problem(ctx, storeUnavailable());
                    return;
                }
                // the client gets an id to quote, never the exception: its message may name files, SQL or hosts
                String errorId = "err_" + java.util.UUID.randomUUID().toString().replace("-", "").substring(0, 16);
                log.error("{} {} failed, error_id {}: {}", ctx.method(), ctx.path(), errorId, e.toString(), e);
                problem(ctx, new ApiException(ErrorCode.INTERNAL, "the server failed on this request; it is logged with error_id " + errorId
                                + ": quote it when you report the problem").with("error_id", errorId));
            });
            config.routes.error(404, ctx -> {
                if (!PROBLEM_JSON.equals(ctx.res().getContentType())) {
                    problem(ctx, new ApiException(ErrorCode.ROUTE_NOT_FOUND, ctx.method() + " " + ctx.path() + " is not an endpoint; see /api/v1/openapi.json"));
                }
            });
        });
    }

    public MinutesServer start() {
        app.start();
        return this;
    }

    public int port() {
        return app.port();
    }

    @Override
    public void close() {
        app.stop();
        slowClients.close();
    }

    static final String HEALTH = "/api/v1/health";
    static final String READY = "/api/v1/ready";

    /** Liveness: the process answers. The store and engine are told as last known, never waited for. */
    private static void health(Context ctx, Dependencies deps, StoreHealth storeHealth) {
        String store = storeHealth.last().map(s -> s.up() ? "ok" : "unavailable").orElse("unknown");
        json(ctx, Views.JSON.createObjectNode().put("status", "ok").put("store", store)
                .put("engine", deps.node().isRunning() ? "running" : "stopped"));
    }

    /** Ready when the store takes a write now and the engine runs; else 503 naming each failed check. */
    private static void ready(Context ctx, Dependencies deps, StoreHealth storeHealth) {
        StoreHealth.Status status = storeHealth.check();
        String storeProblem = status.up() ? null : Scrub.hosts(status.problem());
        if (storeProblem != null) log.warn("readiness: the store cannot be written: {}", status.problem());
        boolean engine = deps.node().isRunning();
        String store = storeProblem == null ? "ok" : "not_writable";
        if (storeProblem != null || !engine) {
            List<String> failed = new java.util.ArrayList<>();
            if (storeProblem != null) failed.add("store: cannot be written (" + storeProblem + ")");
            if (!engine) failed.add("engine: not running (no meetings are being claimed)");
            ApiException notReady = new ApiException(ErrorCode.NOT_READY, String.join("; ", failed))
                    .with("store", store).with("engine", engine ? "running" : "stopped");
            if (storeProblem != null) notReady.with("store_error", storeProblem).header("Retry-After", "5");
            throw notReady;
        }
        json(ctx, Views.JSON.createObjectNode().put("status", "ready").put("store", store).put("engine", "running"));
    }

    /** While the store is known to be down, /api requests are refused at once instead of waiting on it. */
    private static void refuseWhileStoreIsDown(Context ctx, StoreHealth storeHealth) {
        if (ctx.path().equals(HEALTH) || ctx.path().equals(READY)) return;
        if (storeHealth.knownDown()) throw storeUnavailable();
    }

    static ApiException storeUnavailable() {
        return new ApiException(ErrorCode.NOT_READY, "store: cannot be reached now; nothing was changed. Try again shortly (GET /api/v1/ready tells when)")
                .with("store", "unavailable").header("Retry-After", "5");
    }

    static void json(Context ctx, JsonNode node) {
        try {
            ctx.contentType("application/json").result(Views.JSON.writeValueAsString(node));
        } catch (JsonProcessingException e) {
            throw new IllegalStateException(e);
        }
    }

    private static void problem(Context ctx, ApiException e) {
        e.headers().forEach(ctx::header);
        ctx.status(e.status());
        ctx.contentType(PROBLEM_JSON).result(problemJson(e, ctx.path()));
    }

    /** The RFC 9457 body of {@code e}, about the request for {@code instance} (a path, or null when unknown). */
    static String problemJson(ApiException e, String instance) {
        ObjectNode node = Views.JSON.createObjectNode();
        node.put("type", "https://minutes.invalid/problems/" + e.code().toLowerCase().replace('_', '-'));
        node.put("title", e.title());
        node.put("status", e.status());
        node.put("detail", e.getMessage());
        node.put("code", e.code());
        if (instance != null) node.put("instance", instance);
        if (!e.errors().isEmpty()) {
            var errors = node.putArray("errors");
            for (ApiException.FieldError error : e.errors()) {
                errors.addObject().put("pointer", error.pointer()).put("detail", error.detail());
            }
        }
        for (Map.Entry<String, Object> extra : e.extra().entrySet()) node.set(extra.getKey(), Views.JSON.valueToTree(extra.getValue()));
        try {
            return Views.JSON.writeValueAsString(node);
        } catch (JsonProcessingException ex) {
            throw new IllegalStateException(ex);
        }
    }

    ObjectNode openApi() {
        return OpenApi.document(routes);
    }
}
