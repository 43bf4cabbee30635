package io.minutes.server;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.javalin.http.Context;
import io.javalin.http.UploadedFile;
import io.minutes.core.domain.Batch;
import io.minutes.core.domain.Budget;
import io.minutes.core.domain.Failure;
import io.minutes.core.lane.LaneChoice;
import io.minutes.core.domain.Meeting;
import io.minutes.core.domain.MeetingState;
import io.minutes.core.domain.OnDuplicate;
import io.minutes.core.domain.Priority;
import io.minutes.core.domain.Submission;
import io.minutes.core.style.Stylist;
import io.minutes.core.domain.Tier;
import io.minutes.core.engine.Estimator;
import io.minutes.core.engine.RateLimits;
import io.minutes.core.ingest.IngestResult;
import io.minutes.core.ingest.Ingestor;
import io.minutes.core.port.BatchStore;
import io.minutes.core.port.BatchStore.NewMeeting;
import io.minutes.core.submission.Submissions;
import io.minutes.core.trust.MeetingDate;
import io.minutes.server.ApiException.FieldError;
import io.minutes.server.RequestBodies.JsonPermit;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;

/**
 * The commands on batches: submit (JSON), upload (multipart files), cancel, retry, and process (one meeting,
 * waiting for its minutes). A new batch goes through {@link Submissions}; its refusals become problems here.
 */
final class BatchCommands {
    private final BatchStore store;
    private final Ingestor ingestor;
    private final MeetingReader reader;
    private final EventHub hub;
    private final Submissions submissions;
    private final RequestBodies bodies;
    private final BatchReads reads;
    private final ServerOptions options;
    private final Clock clock;
    private final Stylist stylist;

    BatchCommands(BatchStore store, Ingestor ingestor, MeetingReader reader, EventHub hub, Submissions submissions,
                  RequestBodies bodies, BatchReads reads, ServerOptions options, Clock clock, Stylist stylist) {
        this.store = store;
        this.ingestor = ingestor;
        this.reader = reader;
        this.hub = hub;
        this.submissions = submissions;
        this.bodies = bodies;
        this.reads = reads;
        this.options = options;
        this.clock = clock;
        this.stylist = stylist;
    }

    // ---- submit ----------------------------------------------------------------------------------

    void submit(Context ctx) throws InterruptedException {
        try (JsonPermit ignored = bodies.jsonPermit()) {
            submit(ctx, bodies.jsonBody(ctx));
        }
    }

    private void submit(Context ctx, JsonNode body) {
        SubmissionRequest request = new SubmissionRequest(stylist);
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
            request.errors.add(new FieldError("/meetings", "required: an array of {\"title\", \"date\", \"tier\", \"transcript\"}"));
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
        Submission submission = request.submission(ctx.attribute(Auth.TENANT), onDuplicate, body.get("options"));
        Instant deadline = request.deadline(body.get("options"), clock.instant());
        request.check();
        Batch batch = create(meetings, tiers, submission, request.lane, deadline);
        accepted(ctx, batch);
    }

    private void readMeeting(JsonNode item, String pointer, int index, SubmissionRequest request,
                             List<NewMeeting> meetings, List<Tier> tiers) {
        if (item == null || !item.isObject()) {
            request.errors.add(new FieldError(pointer, "must be an object {\"title\", \"date\", \"tier\", \"transcript\"}"));
            return;
        }
        for (var names = item.fieldNames(); names.hasNext(); ) {
            String name = names.next();
            if (!List.of("title", "date", "tier", "transcript").contains(name)) {
                request.errors.add(new FieldError(pointer + "/" + name, "unknown field; known: title, date, tier, transcript"));
            }
        }
        String title = text(item, "title", pointer + "/title", request);
        if (title != null && title.isBlank()) request.errors.add(new FieldError(pointer + "/title", "must not be empty"));
        LocalDate date = date(text(item, "date", pointer + "/date", request), pointer + "/date", request);
        tiers.add(request.tier(text(item, "tier", pointer + "/tier", request), pointer + "/tier"));
        String transcript = text(item, "transcript", pointer + "/transcript", request);
        if (transcript == null) {
            if (item.get("transcript") == null) request.errors.add(new FieldError(pointer + "/transcript", "required: the transcript's text (VTT, SRT, JSON or plain text)"));
            return;
        }
        NewMeeting meeting = fromText(title == null ? "Meeting " + (index + 1) : title.strip(), date, index, transcript);
        meetings.add(title == null ? meeting.untitled() : meeting);
    }

    /** The day a meeting took place ({@code meetings[i].date}), or null when not given or not a date (an error then). */
    private static LocalDate date(String given, String pointer, SubmissionRequest request) {
        if (given == null) return null;
        Optional<LocalDate> day = MeetingDate.parse(given);
        if (day.isEmpty()) {
            request.errors.add(new FieldError(pointer, "must be the day the meeting took place as " + MeetingDate.FORMAT
                    + ", got '" + given + "'"));
        }
        return day.orElse(null);
    }

    /**
     * The transcript is read as a file named meeting-N.txt would be (its content decides VTT/SRT/JSON); the title is the
     * caller's, and so is the date when given (else the one the transcript's metadata carries).
     */
    private NewMeeting fromText(String title, LocalDate date, int index, String transcript) {
        String source = "meeting-" + (index + 1) + ".txt";
        return switch (ingestor.ingest(source, transcript.getBytes(StandardCharsets.UTF_8))) {
            case IngestResult.Ready r -> NewMeeting.ready(source, title, r.contentHash(), r.transcript())
                    .dated(date != null ? date : r.date());
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

    /** The providers with a batch API (the app wires their ProviderBatches): only their services take options.lane batch. */
    private static final java.util.Set<String> BATCH_APIS = java.util.Set.of("openai", "anthropic");

    private ApiException tooMany(int count) {
        return new ApiException(ErrorCode.BATCH_TOO_LARGE, count + " meetings in one batch; the limit is " + options.maxBatchMeetings()
                        + " (max-batch-meetings): split them into several batches")
                .with("limit", options.maxBatchMeetings());
    }

    /**
     * Who answers the batch's meetings and how, as deduplication compares batches: the service's analyzer and
     * settings, and the language and template the batch asked for when it asked (so that a meeting asked in
     * another template is not a duplicate of one answered in the settings').
     */
    private String analyzerIdentity(Submission submission) {
        return submission.style() == null ? options.analyzer() : options.analyzer() + "/asked " + stylist.identity(submission.style());
    }

    /** Stores the batch deduplicated within the submitter's tenant as its on_duplicate says, if its budget and the queue allow. */
    private Batch create(List<NewMeeting> meetings, List<Tier> tiers, Submission submission, LaneChoice lane, Instant deadline) {
        if (meetings.size() > options.maxBatchMeetings()) throw tooMany(meetings.size());
        if (lane == LaneChoice.BATCH && !BATCH_APIS.contains(options.provider())) {
            throw ApiException.invalid(List.of(new FieldError("/options/lane", "the service's provider '" + options.provider()
                    + "' has no batch API (openai and anthropic have): use realtime")));
        }
        BatchStore.BatchCreateParams params = new BatchStore.BatchCreateParams(null, options.provider(), clock.instant(),
                meetings, Priority.fromWire(submission.priority()), submission.onDuplicate(), Tier.ORDINARY,
                submission.budgetUsd(), analyzerIdentity(submission), submission, tiers);
        return switch (submissions.submit(new Submissions.NewBatch(params, RateLimits.NONE, true, lane, deadline))) {
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
        estimate.put("max_cost_in_lanes_usd", over.maxCostUsd()); // at the price of the lanes planned: what the budget holds
        return new ApiException(ErrorCode.OVER_BUDGET, String.format(Locale.ROOT,
                "the estimate, $%.4f at most for %d meeting(s) to send%s%s, passes options.budget_usd $%.4f; nothing was "
                        + "stored. Raise budget_usd, or set options.allow_over_budget to start it anyway (meetings are then "
                        + "skipped with reason %s once spent + reserved would pass the budget)",
                over.maxCostUsd(), e.meetings(), e.recordings() > 0 ? " and " + e.recordings() + " recording(s) to transcribe" : "",
                over.atLanePrices() ? String.format(Locale.ROOT, " in the lanes planned ($%.4f at the list price)", e.maxCostUsd()) : "",
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

    private void checkCapacity(int adding) {
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

    // ---- upload ----------------------------------------------------------------------------------

    void upload(Context ctx) throws IOException {
        RequestBodies.UploadForm form = bodies.uploadForm(ctx);
        SubmissionRequest request = new SubmissionRequest(stylist);
        Tier tier = request.tier(form.tier(), "/tier");
        OnDuplicate onDuplicate = request.onDuplicate(form.onDuplicate(), "/on_duplicate");
        JsonNode optionsNode = null;
        if (form.options() != null) {
            try {
                optionsNode = Views.JSON.readTree(form.options());
            } catch (JsonProcessingException e) {
                request.errors.add(new FieldError("/options", "must be a JSON object: " + JsonErrors.plain(e.getOriginalMessage())));
            }
        }
        JsonNode submittedOptions = request.withOptionFields(optionsNode, form.optionFields());
        Submission submission = request.submission(ctx.attribute(Auth.TENANT), onDuplicate, submittedOptions);
        Instant deadline = request.deadline(submittedOptions, clock.instant());
        if (form.files().isEmpty()) request.errors.add(new FieldError("/files", "no files: send one or more under the multipart field 'files'"));
        request.check();
        Files.createDirectories(options.uploadDir());
        List<NewMeeting> meetings = new ArrayList<>();
        for (UploadedFile file : form.files()) {
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
        Batch batch = create(meetings, Collections.nCopies(meetings.size(), tier), submission, request.lane, deadline);
        accepted(ctx, batch);
    }

    // ---- changing a batch ------------------------------------------------------------------------

    void cancel(Context ctx) {
        String id = ctx.pathParam("id");
        Batch batch = reads.visibleBatch(ctx, id).batch();
        if (batch.counts().isFinished()) {
            throw new ApiException(ErrorCode.BATCH_FINISHED, "batch " + id + " is " + batch.status().wireName() + ": there is nothing left to cancel");
        }
        int cancelled = store.batchCancel(new BatchStore.BatchCancelParams(id, clock.instant()));
        reads.forgetStatus(id);
        hub.poke(id);
        ObjectNode node = reads.summary(id);
        node.put("cancelled_now", cancelled);
        MinutesServer.json(ctx, node);
    }

    void retry(Context ctx) {
        String id = ctx.pathParam("id");
        int failed = (int) reads.visibleBatch(ctx, id).meetings().stream()
                .filter(m -> m.state() == MeetingState.FAILED).count();
        checkCapacity(failed);
        int requeued = store.meetingsRequeue(BatchStore.RequeueParams.failed(id, clock.instant()));
        reads.forgetStatus(id);
        if (requeued == 0) {
            throw new ApiException(ErrorCode.NOTHING_TO_RETRY, "batch " + id + " has no failed meeting that can run again (meetings that failed to parse need a corrected file)");
        }
        hub.poke(id);
        ObjectNode node = reads.summary(id);
        node.put("requeued", requeued);
        ctx.status(202);
        MinutesServer.json(ctx, node);
    }

    // ---- synchronous process ---------------------------------------------------------------------

    void process(Context ctx) throws InterruptedException {
        JsonPermit permit = bodies.jsonPermit();
        try {
            process(ctx, bodies.jsonBody(ctx), permit);
        } finally {
            permit.close();
        }
    }

    /** @param permit released once the meeting is stored: waiting for its minutes holds no body */
    private void process(Context ctx, JsonNode body, JsonPermit permit) throws InterruptedException {
        SubmissionRequest request = new SubmissionRequest(stylist);
        List<NewMeeting> meetings = new ArrayList<>();
        List<Tier> tiers = new ArrayList<>();
        readMeeting(body, "", 0, request, meetings, tiers);
        Submission submission = request.submission(ctx.attribute(Auth.TENANT), OnDuplicate.SKIP, null);
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
            Batch batch = create(meetings, tiers, submission, request.lane, null);
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
