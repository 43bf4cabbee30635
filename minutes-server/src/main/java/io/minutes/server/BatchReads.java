package io.minutes.server;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.javalin.http.Context;
import io.minutes.core.domain.Batch;
import io.minutes.core.domain.Meeting;
import io.minutes.core.domain.Submission;
import io.minutes.core.lane.CutOverWatch;
import io.minutes.core.port.BatchStore;
import io.minutes.core.port.StoreStatus;
import io.minutes.server.ApiException.FieldError;

import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.zip.ZipEntry;
import java.util.zip.ZipOutputStream;

/**
 * The reads of batches and meetings: a batch's status (rendered at most once per {@link #STATUS_FRESHNESS}),
 * the list of batches, a batch's results as NDJSON or a ZIP of Markdown minutes, one meeting, the queue's
 * capacity; and the check every batch handler makes that the caller may see the batch.
 */
final class BatchReads {
    static final Duration STATUS_FRESHNESS = Duration.ofMillis(250);

    private final Map<String, RenderedStatus> statusCache = new ConcurrentHashMap<>();

    private final BatchStore store;
    /** The queue depth across every batch. */
    private final StoreStatus totals;
    private final EventHub hub;
    private final MinutesServer.Markdown markdown;
    private final ServerOptions options;
    private final Clock clock;

    /** Works out a batch's cut-over for its status (null: deadlines are not watched by this service). */
    private final CutOverWatch deadlines;

    BatchReads(BatchStore store, StoreStatus totals, EventHub hub, MinutesServer.Markdown markdown, ServerOptions options,
               Clock clock, CutOverWatch deadlines) {
        this.deadlines = deadlines;
        this.store = store;
        this.totals = totals;
        this.hub = hub;
        this.markdown = markdown;
        this.options = options;
        this.clock = clock;
    }

    /**
     * The batch as one read of the store shows it (with its submission, budget and brief meetings), if it
     * exists and the caller may see it.
     */
    BatchStore.BatchView visibleBatch(Context ctx, String batchId) {
        Optional<BatchStore.BatchView> view = store.batchView(batchId);
        if (view.isEmpty() || !visibleTo(ctx, view.get().submission())) throw ApiException.notFound("batch " + batchId);
        return view.get();
    }

    /** With API keys, a caller sees only its own tenant's batches; without, every batch. */
    private static boolean visibleTo(Context ctx, Submission submission) {
        String tenant = ctx.attribute(Auth.TENANT);
        return tenant == null || submission != null && tenant.equals(submission.tenant());
    }

    // ---- status ----------------------------------------------------------------------------------

    /**
     * A batch's status is rendered at most once per {@link #STATUS_FRESHNESS} and shared by every poll in
     * that time (each still checked against the caller's tenant): many clients polling a large batch cost
     * the store one read, not one each.
     */
    void status(Context ctx) {
        String id = ctx.pathParam("id");
        Instant now = clock.instant();
        RenderedStatus cached = statusCache.get(id);
        if (cached == null || now.isAfter(cached.at().plus(STATUS_FRESHNESS))) {
            if (statusCache.size() > 1_000) statusCache.clear();
            // compute() lets one poll render while the others of that moment wait for its result
            cached = statusCache.compute(id, (key, old) -> old != null && !now.isAfter(old.at().plus(STATUS_FRESHNESS)) ? old
                    : renderStatus(key, clock.instant()));
        }
        String tenant = ctx.attribute(Auth.TENANT);
        if (tenant != null && !tenant.equals(cached.tenant())) throw ApiException.notFound("batch " + id);
        ctx.contentType("application/json").result(cached.body());
    }

    /** The next status read of {@code batchId} goes to the store: a command just changed the batch. */
    void forgetStatus(String batchId) {
        statusCache.remove(batchId);
    }

    private RenderedStatus renderStatus(String id, Instant now) {
        BatchStore.BatchView view = store.batchView(id).orElseThrow(() -> ApiException.notFound("batch " + id));
        Submission submission = view.submission();
        return new RenderedStatus(now, submission == null ? null : submission.tenant(),
                json(Views.batch(view, hub.throughput(id), cutOver(view))));
    }

    /**
     * When what still waits of the batch moves to realtime, as the batch lane works it out now (each meeting counted
     * with the prompt tokens its provider batches hold a line, as the lane counts them); null without a deadline, or
     * when this service does not watch deadlines (no batch lane).
     */
    private Instant cutOver(BatchStore.BatchView view) {
        if (view.deadline() == null || deadlines == null) return null;
        long lines = 0;
        long tokens = 0;
        for (var pb : view.providerBatches()) {
            lines += pb.lines();
            tokens += pb.enqueuedTokens();
        }
        return deadlines.cutOverAt(view.deadline(), view.batch().counts(), lines == 0 ? 0 : tokens / lines);
    }

    private record RenderedStatus(Instant at, String tenant, String body) {
    }

    private static String json(JsonNode node) {
        try {
            return Views.JSON.writeValueAsString(node);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException(e);
        }
    }

    // ---- lists and results -----------------------------------------------------------------------

    void list(Context ctx) {
        int limit = intParam(ctx, "limit", 20, 1, 100);
        String before = ctx.queryParam("before");
        List<Batch> page = store.batchPage(new BatchStore.BatchPageParams(ctx.attribute(Auth.TENANT), before, limit));
        ObjectNode node = Views.JSON.createObjectNode();
        var batches = node.putArray("batches");
        for (Batch b : page) {
            batches.add(Views.batchSummary(b, store.batchFirstTitle(b.id()).orElse(null), store.submissionGet(b.id()).orElse(null),
                    store.batchBudget(b.id()).orElse(null), hub.throughput(b.id())));
        }
        if (page.size() == limit) node.put("next_before", page.getLast().id());
        else node.putNull("next_before");
        MinutesServer.json(ctx, node);
    }

    /** The batch as the list shows it: what a command answers once it has changed the batch. */
    ObjectNode summary(String batchId) {
        return Views.batchSummary(store.batchGet(batchId).orElseThrow(), store.batchFirstTitle(batchId).orElse(null),
                store.submissionGet(batchId).orElse(null),
                store.batchBudget(batchId).orElse(null), hub.throughput(batchId));
    }

    private static int intParam(Context ctx, String name, int byDefault, int min, int max) {
        String raw = ctx.queryParam(name);
        if (raw == null) return byDefault;
        try {
            int v = Integer.parseInt(raw);
            if (v >= min && v <= max) return v;
        } catch (NumberFormatException ignored) {
            // reported below
        }
        throw ApiException.invalid(List.of(new FieldError("?" + name, "must be a whole number from " + min + " to " + max + ", got '" + raw + "'")));
    }

    void results(Context ctx) throws IOException {
        String id = ctx.pathParam("id");
        visibleBatch(ctx, id);
        List<Meeting> meetings = store.meetingsList(id);
        String format = ctx.queryParamAsClass("format", String.class).getOrDefault("ndjson");
        if (format.equals("zip")) {
            ctx.contentType("application/zip").header("Content-Disposition", "attachment; filename=\"" + id + ".zip\"");
            try (OutputStream raw = ctx.outputStream(); ZipOutputStream zip = new ZipOutputStream(raw)) {
                for (Meeting m : meetings) {
                    if (m.analysis() == null) continue;
                    zip.putNextEntry(new ZipEntry(String.format("%04d-%s.md", m.index() + 1, fileName(m.title()))));
                    zip.write(markdown.render(m).getBytes(StandardCharsets.UTF_8));
                    zip.closeEntry();
                }
            }
        } else if (format.equals("ndjson")) {
            StringBuilder out = new StringBuilder();
            for (Meeting m : meetings) out.append(Views.JSON.writeValueAsString(Views.resultLine(m))).append('\n');
            ctx.contentType("application/x-ndjson").result(out.toString());
        } else {
            throw ApiException.invalid(List.of(new FieldError("?format", "must be ndjson or zip, got '" + format + "'")));
        }
    }

    private static String fileName(String title) {
        String safe = (title == null ? "meeting" : title).replaceAll("[^\\p{L}\\p{N}._-]+", "-").replaceAll("^-+|-+$", "");
        return safe.isEmpty() ? "meeting" : safe.substring(0, Math.min(80, safe.length()));
    }

    void meeting(Context ctx) {
        String id = ctx.pathParam("meeting_id");
        var detail = store.meetingGet(id).orElseThrow(() -> ApiException.notFound("meeting " + id));
        if (!visibleTo(ctx, store.submissionGet(detail.meeting().batchId()).orElse(null))) {
            throw ApiException.notFound("meeting " + id);
        }
        MinutesServer.json(ctx, Views.meeting(detail));
    }

    // ---- capacity --------------------------------------------------------------------------------

    void capacity(Context ctx) {
        var counts = totals.countsAll().counts();
        ObjectNode node = Views.JSON.createObjectNode();
        node.put("active", counts.running());
        node.put("queued", counts.queued());
        node.put("limit", options.maxQueuedMeetings());
        node.put("available", Math.max(0, options.maxQueuedMeetings() - counts.queued()));
        node.put("at_capacity", counts.queued() >= options.maxQueuedMeetings());
        node.put("throughput", hub.throughput());
        MinutesServer.json(ctx, node);
    }
}
