package io.minutes.server;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.javalin.http.Context;
import io.javalin.http.UploadedFile;
import io.minutes.core.domain.Batch;
import io.minutes.core.domain.Budget;
import io.minutes.core.domain.Failure;
import io.minutes.core.domain.Meeting;
import io.minutes.core.domain.OnDuplicate;
import io.minutes.core.domain.Priority;
import io.minutes.core.domain.Submission;
import io.minutes.core.domain.Tier;
import io.minutes.core.engine.Estimator;
import io.minutes.core.engine.RateLimits;
import io.minutes.core.ingest.IngestResult;
import io.minutes.core.ingest.Ingestor;
import io.minutes.core.port.StoreStatus;
import io.minutes.core.port.BatchStore;
import io.minutes.core.port.BatchStore.NewMeeting;
import io.minutes.core.port.StoreUnavailableException;
import io.minutes.core.submission.Submissions;
import io.minutes.server.ApiException.FieldError;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;
import java.util.Optional;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.function.Supplier;
import java.util.zip.ZipEntry;
import java.util.zip.ZipOutputStream;

/** The handlers of /api/v1/meetings/... : submit, upload, status, list, results, cancel, retry, events, process. */
final class BatchApi {
    static final String TENANT = "minutes.tenant";
    private static final Duration SSE_CHECK = Duration.ofSeconds(5);
    private static final Duration SSE_STORE_RETRY = Duration.ofSeconds(1);
    static final Duration STATUS_FRESHNESS = Duration.ofMillis(250);
    /**
     * The answer to a request whose body was not (or could not be) read to its end: Jetty closes such a
     * connection anyway, and saying so keeps clients from sending their next request on it.
     */
    private static final String UNREAD_BODY = "close";

    private static final Duration JSON_PERMIT_WAIT = Duration.ofSeconds(30);
    private final java.util.concurrent.Semaphore jsonBodies = new java.util.concurrent.Semaphore(ServerOptions.MAX_JSON_BODIES_AT_ONCE, true);

    private final Map<String, RenderedStatus> statusCache = new java.util.concurrent.ConcurrentHashMap<>();

    private final BatchStore store;
    /** The queue depth across every batch, for the capacity check. */
    private final StoreStatus totals;
    private final Ingestor ingestor;
    private final MeetingReader reader;
    private final EventHub hub;
    private final MinutesServer.Markdown markdown;
    private final Submissions submissions;
    private final ServerOptions options;
    private final Clock clock;

    BatchApi(BatchStore store, StoreStatus totals, Ingestor ingestor, MeetingReader reader, EventHub hub,
             MinutesServer.Markdown markdown, Submissions submissions, ServerOptions options, Clock clock) {
        this.store = store;
        this.totals = totals;
        this.submissions = submissions;
        this.ingestor = ingestor;
        this.reader = reader;
        this.hub = hub;
        this.markdown = markdown;
        this.options = options;
        this.clock = clock;
    }

    // ---- submit ----------------------------------------------------------------------------------

    void submit(Context ctx) throws InterruptedException {
        try (JsonPermit ignored = jsonPermit()) {
            submit(ctx, jsonBody(ctx));
        }
    }

    private void submit(Context ctx, JsonNode body) {
        SubmissionRequest request = new SubmissionRequest();
        List<NewMeeting> meetings = new ArrayList<>();
        List<Tier> tiers = new ArrayList<>();
        JsonNode list = body.get("meetings");
        for (var names = body.fieldNames(); names.hasNext(); ) {
            String name = names.next();
            if (!List.of("meetings", "on_duplicate", "options").contains(name)) {
                request.errors.add(new FieldError("/" + name, "unknown field; known: meetings, on_duplicate, options"));
            }
        }
        if (list == null || !list.isArray()) {
            request.errors.add(new FieldError("/meetings", "required: an array of {\"title\", \"tier\", \"transcript\"}"));
        } else if (list.isEmpty()) {
            request.errors.add(new FieldError("/meetings", "must hold at least one meeting"));
        } else if (list.size() > options.maxBatchMeetings()) {
            throw tooMany(list.size());
        } else {
            for (int i = 0; i < list.size(); i++) {
                readMeeting(list.get(i), "/meetings/" + i, i, request, meetings, tiers);
            }
        }
        OnDuplicate onDuplicate = request.onDuplicate(text(body, "on_duplicate", "/on_duplicate", request), "/on_duplicate");
        Submission submission = request.submission(ctx.attribute(TENANT), onDuplicate, body.get("options"));
        request.check();
        Batch batch = create(meetings, tiers, submission);
        accepted(ctx, batch);
    }

    private void readMeeting(JsonNode item, String pointer, int index, SubmissionRequest request,
                             List<NewMeeting> meetings, List<Tier> tiers) {
        if (item == null || !item.isObject()) {
            request.errors.add(new FieldError(pointer, "must be an object {\"title\", \"tier\", \"transcript\"}"));
            return;
        }
        for (var names = item.fieldNames(); names.hasNext(); ) {
            String name = names.next();
            if (!List.of("title", "tier", "transcript").contains(name)) {
                request.errors.add(new FieldError(pointer + "/" + name, "unknown field; known: title, tier, transcript"));
            }
        }
        String title = text(item, "title", pointer + "/title", request);
        if (title != null && title.isBlank()) request.errors.add(new FieldError(pointer + "/title", "must not be empty"));
        tiers.add(request.tier(text(item, "tier", pointer + "/tier", request), pointer + "/tier"));
        String transcript = text(item, "transcript", pointer + "/transcript", request);
        if (transcript == null) {
            if (item.get("transcript") == null) request.errors.add(new FieldError(pointer + "/transcript", "required: the transcript's text (VTT, SRT, JSON or plain text)"));
            return;
        }
        NewMeeting meeting = fromText(title == null ? "Meeting " + (index + 1) : title.strip(), index, transcript);
        meetings.add(title == null ? meeting.untitled() : meeting);
    }

    /** The transcript is read as a file named meeting-N.txt would be (its content decides VTT/SRT/JSON); the title is the caller's. */
    private NewMeeting fromText(String title, int index, String transcript) {
        String source = "meeting-" + (index + 1) + ".txt";
        return switch (ingestor.ingest(source, transcript.getBytes(StandardCharsets.UTF_8))) {
            case IngestResult.Ready r -> NewMeeting.ready(source, title, r.contentHash(), r.transcript());
            case IngestResult.Skipped s -> NewMeeting.skipped(source, title, s.reason());
            case IngestResult.Unreadable u -> NewMeeting.unreadable(source, title, Failure.of(Failure.Cause.INPUT, u.message()));
            default -> NewMeeting.unreadable(source, title, Failure.of(Failure.Cause.INPUT, source + ": a transcript's text was expected"));
        };
    }

    private static String text(JsonNode node, String field, String pointer, SubmissionRequest request) {
        JsonNode value = node.get(field);
        if (value == null || value.isNull()) return null;
        if (!value.isTextual()) {
            request.errors.add(new FieldError(pointer, "must be a string, got " + value.getNodeType().name().toLowerCase()));
            return null;
        }
        return value.asText();
    }

    private ApiException tooMany(int count) {
        return new ApiException(ErrorCode.BATCH_TOO_LARGE, count + " meetings in one batch; the limit is " + options.maxBatchMeetings()
                        + " (max-batch-meetings): split them into several batches")
                .with("limit", options.maxBatchMeetings());
    }

    /** Stores the batch deduplicated within the submitter's tenant as its on_duplicate says, if its budget and the queue allow. */
    private Batch create(List<NewMeeting> meetings, List<Tier> tiers, Submission submission) {
        if (meetings.size() > options.maxBatchMeetings()) throw tooMany(meetings.size());
        BatchStore.BatchCreateParams params = new BatchStore.BatchCreateParams(null, options.provider(), clock.instant(),
                meetings, Priority.fromWire(submission.priority()), submission.onDuplicate(), Tier.ORDINARY,
                submission.budgetUsd(), options.analyzer(), submission, tiers);
        return switch (submissions.submit(new Submissions.NewBatch(params, RateLimits.NONE, true))) {
            case Submissions.Stored stored -> stored.batch();
            case Submissions.QueueFull full -> throw atCapacity(full);
            case Submissions.OverBudget over -> throw overBudget(over);
        };
    }

    /**
     * A batch whose estimate passes its budget is refused, unless allow_over_budget: nothing is stored.
     * Only what would be sent is estimated: duplicates the batch would skip and cached answers cost nothing.
     */
    private static ApiException overBudget(Submissions.OverBudget over) {
        Estimator.Estimate e = over.estimate();
        Map<String, Object> estimate = new LinkedHashMap<>();
        estimate.put("meetings", e.meetings());
        estimate.put("cached", e.cached());
        estimate.put("duplicates", e.duplicates());
        estimate.put("recordings", e.recordings());
        estimate.put("input_tokens", e.inputTokens());
        estimate.put("max_output_tokens", e.maxOutputTokens());
        estimate.put("max_cost_usd", e.maxCostUsd());
        estimate.put("transcription_max_cost_usd", e.transcriptionMaxCostUsd());
        return new ApiException(ErrorCode.OVER_BUDGET, String.format(Locale.ROOT,
                "the estimate, $%.4f at most for %d meeting(s) to send%s, passes options.budget_usd $%.4f; nothing was "
                        + "stored. Raise budget_usd, or set options.allow_over_budget to start it anyway (meetings are then "
                        + "skipped with reason %s once spent + reserved would pass the budget)",
                e.maxCostUsd(), e.meetings(), e.recordings() > 0 ? " and " + e.recordings() + " recording(s) to transcribe" : "",
                over.budgetUsd(), Budget.EXHAUSTED))
                .with("budget_usd", over.budgetUsd()).with("estimate", estimate);
    }

    private void accepted(Context ctx, Batch batch) {
        ObjectNode node = Views.JSON.createObjectNode();
        node.put("batch_id", batch.id());
        node.put("total", batch.counts().total());
        node.put("status", batch.status().wireName());
        node.put("submitted_at", batch.submittedAt().toString());
        ctx.status(202).header("Location", "/api/v1/meetings/batch/" + batch.id());
        MinutesServer.json(ctx, node);
    }

    // ---- capacity --------------------------------------------------------------------------------

    void checkCapacity(int adding) {
        Optional<Submissions.QueueFull> full = submissions.capacityFor(adding);
        if (full.isPresent()) throw atCapacity(full.get());
    }

    private ApiException atCapacity(Submissions.QueueFull full) {
        double throughput = hub.throughput();
        long retryAfter = throughput > 0 ? Math.max(1, (long) Math.ceil(full.over() / throughput)) : 60;
        return new ApiException(ErrorCode.AT_CAPACITY, full.queued() + " meetings are queued and this submission adds " + full.adding() + "; the service holds at most "
                        + full.limit() + " (max-queued-meetings). Try again in about " + retryAfter + " s")
                .with("queued", full.queued()).with("limit", full.limit()).with("retry_after_seconds", retryAfter)
                .header("Retry-After", String.valueOf(retryAfter));
    }

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

    // ---- upload ----------------------------------------------------------------------------------

    void upload(Context ctx) throws IOException {
        checkLength(ctx);
        String contentType = ctx.contentType();
        if (contentType == null || !contentType.toLowerCase(java.util.Locale.ROOT).startsWith("multipart/form-data")) {
            throw new ApiException(ErrorCode.INVALID_MULTIPART, "an upload is a multipart/form-data body (Content-Type was " + (contentType == null ? "not given" : "'" + contentType + "'")
                            + "): send the files under the field 'files', as curl -F files=@FILE does; JSON goes to /api/v1/meetings/batch");
        }
        List<UploadedFile> files;
        String rawTier;
        String rawOnDuplicate;
        String rawOptions;
        try { // the first of these reads the whole body, spooling files to disk
            files = ctx.uploadedFiles("files");
            rawTier = ctx.formParam("tier");
            rawOnDuplicate = ctx.formParam("on_duplicate");
            rawOptions = ctx.formParam("options");
        } catch (Exception e) { // Jetty throws ServletException unchecked
            throw tooLargeOr(e);
        }
        SubmissionRequest request = new SubmissionRequest();
        Tier tier = request.tier(rawTier, "/tier");
        OnDuplicate onDuplicate = request.onDuplicate(rawOnDuplicate, "/on_duplicate");
        JsonNode optionsNode = null;
        if (rawOptions != null) {
            try {
                optionsNode = Views.JSON.readTree(rawOptions);
            } catch (JsonProcessingException e) {
                request.errors.add(new FieldError("/options", "must be a JSON object: " + JsonErrors.plain(e.getOriginalMessage())));
            }
        }
        Map<String, String> optionFields = new LinkedHashMap<>();
        for (String name : SubmissionRequest.OPTION_FIELDS) optionFields.put(name, ctx.formParam(name));
        Submission submission = request.submission(ctx.attribute(TENANT), onDuplicate,
                request.withOptionFields(optionsNode, optionFields));
        if (files.isEmpty()) request.errors.add(new FieldError("/files", "no files: send one or more under the multipart field 'files'"));
        request.check();
        Files.createDirectories(options.uploadDir());
        List<NewMeeting> meetings = new ArrayList<>();
        for (UploadedFile file : files) {
            String name = UploadNames.fileName(file.filename());
            // the spooled copy keeps the file's extension: it tells a Word file (a ZIP inside) from an archive
            Path spooled = Files.createTempFile(options.uploadDir(), "upload-", UploadNames.spoolSuffix(name));
            try (InputStream in = file.content()) {
                Files.copy(in, spooled, StandardCopyOption.REPLACE_EXISTING);
                meetings.addAll(reader.read(name, spooled));
            } finally {
                Files.deleteIfExists(spooled);
            }
        }
        Batch batch = create(meetings, Collections.nCopies(meetings.size(), tier), submission);
        accepted(ctx, batch);
    }

    private void checkLength(Context ctx) {
        long length = ctx.req().getContentLengthLong();
        if (length > options.maxUploadBytes()) throw tooLarge(length);
    }

    private ApiException tooLarge(long length) {
        return new ApiException(ErrorCode.PAYLOAD_TOO_LARGE, (length > 0 ? "the request has " + length + " bytes; " : "the request is larger than allowed; ")
                        + "the limit is " + options.maxUploadBytes() + " bytes (max-upload-bytes): send fewer files per request")
                .with("limit", options.maxUploadBytes()).header("Connection", UNREAD_BODY);
    }

    /** Jetty says a body went over the multipart limits only in its messages ("max length exceeded"). */
    private RuntimeException tooLargeOr(Exception e) {
        var tooSlow = ApiException.ofBodyFailure(e).filter(refused -> refused.status() == ErrorCode.REQUEST_TOO_SLOW.status());
        if (tooSlow.isPresent()) return tooSlow.get();
        for (Throwable t = e; t != null; t = t.getCause()) {
            String m = String.valueOf(t.getMessage()).toLowerCase(java.util.Locale.ROOT);
            if (m.contains("max length exceeded") || m.contains("too large") || m.contains("exceeds")) return tooLarge(-1);
        }
        return new ApiException(ErrorCode.INVALID_MULTIPART, "the body is not a readable multipart/form-data upload (" + innermostMessage(e) + "): check the boundary "
                        + "of the Content-Type header and that every part starts with it and the body ends with it")
                .header("Connection", UNREAD_BODY);
    }

    /** Jetty's own words ("bad multipart") without its class names. */
    private static String innermostMessage(Throwable e) {
        String message = null;
        for (Throwable t = e; t != null; t = t.getCause()) {
            if (t.getMessage() != null && !t.getMessage().isBlank()) message = t.getMessage();
            if (t.getCause() == t) break;
        }
        if (message == null) return "unreadable";
        return message.replaceAll("^(?:[a-z][\\w.]*\\.)?[A-Z]\\w*(?:Exception|Error): ", "").replaceAll("^\\d{3}: ", "");
    }

    /** One of the few JSON bodies parsed at once, so memory is bounded however many clients send large ones. */
    private JsonPermit jsonPermit() throws InterruptedException {
        if (!jsonBodies.tryAcquire(JSON_PERMIT_WAIT.toMillis(), TimeUnit.MILLISECONDS)) {
            throw new ApiException(ErrorCode.BUSY, "the service is reading " + ServerOptions.MAX_JSON_BODIES_AT_ONCE
                    + " other JSON submissions; try again in a few seconds, or upload large transcripts as files")
                    .header("Retry-After", "5").header("Connection", UNREAD_BODY);
        }
        return new JsonPermit(jsonBodies);
    }

    /** Releases its permit once, however often it is closed. */
    private static final class JsonPermit implements AutoCloseable {
        private final java.util.concurrent.Semaphore semaphore;
        private boolean released;

        JsonPermit(java.util.concurrent.Semaphore semaphore) {
            this.semaphore = semaphore;
        }

        @Override
        public void close() {
            if (!released) {
                released = true;
                semaphore.release();
            }
        }
    }

    private ApiException jsonTooLarge(long length) {
        return new ApiException(ErrorCode.PAYLOAD_TOO_LARGE, (length > 0 ? "the JSON body has " + length + " bytes; " : "the JSON body is larger than allowed; ")
                        + "a JSON submission may hold at most " + options.maxJsonBytes()
                        + " bytes: send large transcripts as files to /api/v1/meetings/batch/upload, or split the batch")
                .with("limit", options.maxJsonBytes()).header("Connection", UNREAD_BODY);
    }

    private JsonNode jsonBody(Context ctx) {
        long length = ctx.req().getContentLengthLong();
        if (length > options.maxJsonBytes()) throw jsonTooLarge(length);
        BrowserGuard.requireJson(ctx);
        // a body without Content-Length (chunked) is counted as it is read: refused past the limit, never held whole
        try (InputStream in = new Capped(ctx.bodyInputStream(), options.maxJsonBytes(), () -> jsonTooLarge(-1));
             com.fasterxml.jackson.core.JsonParser parser = Views.JSON.createParser(in)) {
            JsonNode body = Views.JSON.readTree(parser);
            if (body == null || !body.isObject()) {
                throw ApiException.invalid(List.of(new FieldError("", "the body must be a JSON object")));
            }
            boolean more;
            try {
                more = parser.nextToken() != null;
            } catch (JsonProcessingException e) {
                more = true;
            }
            if (more) { // one JSON value is the whole body: anything after it is a mistake
                var where = parser.currentLocation();
                throw new ApiException(ErrorCode.INVALID_JSON, "the body has more after its JSON object (near line " + where.getLineNr() + ", column " + where.getColumnNr()
                                + "): send exactly one JSON object");
            }
            return body;
        } catch (com.fasterxml.jackson.core.exc.StreamConstraintsException e) {
            throw new ApiException(ErrorCode.JSON_VALUE_TOO_LARGE, JsonErrors.tooLarge(e))
                    .header("Connection", UNREAD_BODY);
        } catch (JsonProcessingException e) {
            var where = e.getLocation();
            throw new ApiException(ErrorCode.INVALID_JSON, "the body is not valid JSON" + (where == null ? "" : " at line " + where.getLineNr() + ", column " + where.getColumnNr())
                            + ": " + JsonErrors.plain(e.getOriginalMessage()));
        } catch (IOException e) {
            throw new ApiException(ErrorCode.UNREADABLE_BODY, "could not read the request body: " + e.getMessage())
                    .header("Connection", UNREAD_BODY);
        }
    }

    /** Throws {@code tooLarge} once more than {@code limit} bytes were read. */
    private static final class Capped extends java.io.FilterInputStream {
        private final long limit;
        private final java.util.function.Supplier<ApiException> tooLarge;
        private long count;

        Capped(InputStream in, long limit, java.util.function.Supplier<ApiException> tooLarge) {
            super(in);
            this.limit = limit;
            this.tooLarge = tooLarge;
        }

        @Override
        public int read() throws IOException {
            int b = super.read();
            if (b >= 0) counted(1);
            return b;
        }

        @Override
        public int read(byte[] b, int off, int len) throws IOException {
            int n = super.read(b, off, len);
            if (n > 0) counted(n);
            return n;
        }

        private void counted(int n) {
            count += n;
            if (count > limit) throw tooLarge.get();
        }
    }

    // ---- reading ---------------------------------------------------------------------------------

    /** The batch, if it exists and the caller may see it. */
    Batch visibleBatch(Context ctx, String batchId) {
        Optional<Batch> batch = store.batchGet(batchId);
        if (batch.isEmpty() || !visible(ctx, batchId)) throw ApiException.notFound("batch " + batchId);
        return batch.get();
    }

    private boolean visible(Context ctx, String batchId) {
        String tenant = ctx.attribute(TENANT);
        if (tenant == null) return true;
        return store.submissionGet(batchId).map(s -> tenant.equals(s.tenant())).orElse(false);
    }

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
        String tenant = ctx.attribute(TENANT);
        if (tenant != null && !tenant.equals(cached.tenant())) throw ApiException.notFound("batch " + id);
        ctx.contentType("application/json").result(cached.body());
    }

    private RenderedStatus renderStatus(String id, Instant now) {
        Batch batch = store.batchGet(id).orElseThrow(() -> ApiException.notFound("batch " + id));
        Submission submission = store.submissionGet(id).orElse(null);
        return new RenderedStatus(now, submission == null ? null : submission.tenant(),
                json(Views.batch(batch, submission, store.batchBudget(id).orElse(null), hub.throughput(id), store.meetingsBrief(id))));
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

    void list(Context ctx) {
        int limit = intParam(ctx, "limit", 20, 1, 100);
        String before = ctx.queryParam("before");
        List<Batch> page = store.batchPage(new BatchStore.BatchPageParams(ctx.attribute(TENANT), before, limit));
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

    private ObjectNode summary(String batchId) {
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
        if (!visible(ctx, detail.meeting().batchId())) throw ApiException.notFound("meeting " + id);
        MinutesServer.json(ctx, Views.meeting(detail));
    }

    // ---- changing a batch ------------------------------------------------------------------------

    void cancel(Context ctx) {
        String id = ctx.pathParam("id");
        Batch batch = visibleBatch(ctx, id);
        if (batch.counts().isFinished()) {
            throw new ApiException(ErrorCode.BATCH_FINISHED, "batch " + id + " is " + batch.status().wireName() + ": there is nothing left to cancel");
        }
        int cancelled = store.batchCancel(new BatchStore.BatchCancelParams(id, clock.instant()));
        statusCache.remove(id);
        hub.poke(id);
        ObjectNode node = summary(id);
        node.put("cancelled_now", cancelled);
        MinutesServer.json(ctx, node);
    }

    void retry(Context ctx) {
        String id = ctx.pathParam("id");
        visibleBatch(ctx, id);
        int failed = (int) store.meetingsBrief(id).stream()
                .filter(m -> m.state() == io.minutes.core.domain.MeetingState.FAILED).count();
        checkCapacity(failed);
        int requeued = store.meetingsRequeue(BatchStore.RequeueParams.failed(id, clock.instant()));
        statusCache.remove(id);
        if (requeued == 0) {
            throw new ApiException(ErrorCode.NOTHING_TO_RETRY, "batch " + id + " has no failed meeting that can run again (meetings that failed to parse need a corrected file)");
        }
        hub.poke(id);
        ObjectNode node = summary(id);
        node.put("requeued", requeued);
        ctx.status(202);
        MinutesServer.json(ctx, node);
    }

    // ---- events ----------------------------------------------------------------------------------

    /**
     * Server-sent events, written by hand so a missing batch is a plain 404 and the order is ours:
     * a {@code progress} snapshot first, then {@code meeting} and {@code progress} events as they
     * happen, and {@code done} when the batch is finished. The store is asked again now and then, for
     * changes no event reports (another node, a cancel). Every frame has an id of its own, and the
     * counts never go back: an event published late carries the counts of its moment, which
     * {@link SseCounts} keeps from undoing what the stream already told.
     */
    void events(Context ctx) throws IOException, InterruptedException {
        String id = ctx.pathParam("id");
        visibleBatch(ctx, id);
        BlockingQueue<EventHub.Sequenced> queue = new LinkedBlockingQueue<>();
        Map<String, String> lastSent = new HashMap<>();
        try (EventHub.Subscription ignored = hub.subscribe(id, queue::add)) {
            ctx.status(200).contentType("text/event-stream").header("Cache-Control", "no-cache").header("X-Accel-Buffering", "no");
            OutputStream out = ctx.res().getOutputStream();
            Batch batch = store.batchGet(id).orElseThrow();
            SseCounts counts = new SseCounts(batch.counts());
            Set<String> unfinished = batch.counts().isFinished() ? Set.of() : store.meetingsBrief(id).stream()
                    .filter(m -> !m.state().isFinal()).map(Meeting::id).collect(Collectors.toSet());
            send(out, hub.nextSeq(), "progress", Views.progress(id, counts.told()));
            while (!counts.told().isFinished()) {
                EventHub.Sequenced next = queue.poll(SSE_CHECK.toMillis(), TimeUnit.MILLISECONDS);
                if (next != null && next.event() != null) {
                    sendMeeting(out, next, counts, lastSent);
                    if (!next.event().counts().isFinished()) continue;
                }
                batch = readThroughOutage(() -> store.batchGet(id).orElseThrow(), out, id, counts);
                counts.fromStore(batch.counts());
                if (next == null || next.event() == null) send(out, hub.nextSeq(), "progress", Views.progress(id, counts.told()));
            }
            // Outcomes are stored before they are published: send what was published, then the final state of
            // any meeting whose last event is still on its way, so every meeting's end is told before done.
            for (EventHub.Sequenced late = queue.poll(); late != null; late = queue.poll()) {
                if (late.event() != null) sendMeeting(out, late, counts, lastSent);
            }
            for (Meeting m : readThroughOutage(() -> store.meetingsBrief(id), out, id, counts)) {
                if (unfinished.contains(m.id()) && !m.state().wireName().equals(lastSent.get(m.id()))) {
                    long seq = hub.nextSeq();
                    ObjectNode node = Views.result(m);
                    node.put("seq", seq);
                    node.put("batch_id", id);
                    node.put("attempt", m.attemptCount());
                    node.set("counts", Views.counts(Views.JSON.createObjectNode(), counts.told()));
                    send(out, seq, "meeting", node);
                }
            }
            send(out, hub.nextSeq(), "done", Views.progress(id, counts.told()));
        }
    }

    /**
     * A read of the store by an open event stream. While the store cannot be reached (a database restart), the
     * stream stays open: it tells the counts it has told so far every {@link #SSE_STORE_RETRY}, which also
     * shows the client it is alive, and reads again. Ending the stream instead loses the client's live view: an
     * EventSource reconnecting during the outage gets 503 and gives up (the web UI falls back to polling).
     */
    private <T> T readThroughOutage(Supplier<T> read, OutputStream out, String batchId, SseCounts counts)
            throws IOException, InterruptedException {
        while (true) {
            try {
                return read.get();
            } catch (StoreUnavailableException e) {
                send(out, hub.nextSeq(), "progress", Views.progress(batchId, counts.told()));
                Thread.sleep(SSE_STORE_RETRY);
            }
        }
    }

    private void sendMeeting(OutputStream out, EventHub.Sequenced next, SseCounts counts, Map<String, String> lastSent) throws IOException {
        var told = counts.fromEvent(next.event().counts());
        send(out, next.seq(), "meeting", Views.meetingEvent(next.seq(), next.event(), told));
        send(out, hub.nextSeq(), "progress", Views.progress(next.event().batchId(), told));
        lastSent.put(next.event().meetingId(), next.event().state().wireName());
    }

    private static void send(OutputStream out, long seq, String event, JsonNode data) throws IOException {
        String frame = "id: " + seq + "\nevent: " + event + "\ndata: " + Views.JSON.writeValueAsString(data) + "\n\n";
        out.write(frame.getBytes(StandardCharsets.UTF_8));
        out.flush();
    }

    // ---- synchronous process ---------------------------------------------------------------------

    void process(Context ctx) throws InterruptedException {
        JsonPermit permit = jsonPermit();
        try {
            process(ctx, jsonBody(ctx), permit);
        } finally {
            permit.close();
        }
    }

    /** @param permit released once the meeting is stored: waiting for its minutes holds no body */
    private void process(Context ctx, JsonNode body, JsonPermit permit) throws InterruptedException {
        SubmissionRequest request = new SubmissionRequest();
        List<NewMeeting> meetings = new ArrayList<>();
        List<Tier> tiers = new ArrayList<>();
        readMeeting(body, "", 0, request, meetings, tiers);
        Submission submission = request.submission(ctx.attribute(TENANT), OnDuplicate.SKIP, null);
        Duration timeout = options.processTimeout();
        String raw = ctx.queryParam("timeout_seconds");
        if (raw != null) {
            try {
                long seconds = Long.parseLong(raw);
                if (seconds < 1 || seconds > options.processTimeout().toSeconds()) throw new NumberFormatException();
                timeout = Duration.ofSeconds(seconds);
            } catch (NumberFormatException e) {
                request.errors.add(new FieldError("?timeout_seconds", "must be a whole number from 1 to " + options.processTimeout().toSeconds() + ", got '" + raw + "'"));
            }
        }
        request.check();
        BlockingQueue<EventHub.Sequenced> finished = new LinkedBlockingQueue<>();
        String[] batchId = new String[1];
        try (EventHub.Subscription ignored = hub.subscribeAll(e -> {
            if (e.event() != null && e.event().counts().isFinished()) finished.add(e);
        })) {
            Batch batch = create(meetings, tiers, submission);
            permit.close();
            batchId[0] = batch.id();
            Instant deadline = clock.instant().plus(timeout);
            while (!batch.counts().isFinished()) {
                long left = Duration.between(clock.instant(), deadline).toMillis();
                if (left <= 0) {
                    String meetingId = store.meetingsBrief(batch.id()).getFirst().id();
                    throw new ApiException(ErrorCode.PROCESS_TIMEOUT, "the meeting did not finish within " + timeout.toSeconds() + " s; it goes on: follow it at /api/v1/meetings/" + meetingId)
                            .with("batch_id", batch.id()).with("meeting_id", meetingId);
                }
                finished.poll(Math.min(left, 1000), TimeUnit.MILLISECONDS);
                batch = store.batchGet(batch.id()).orElseThrow();
            }
        }
        Meeting meeting = store.meetingsBrief(batchId[0]).getFirst();
        MinutesServer.json(ctx, Views.meeting(store.meetingGet(meeting.id()).orElseThrow()));
    }
}
