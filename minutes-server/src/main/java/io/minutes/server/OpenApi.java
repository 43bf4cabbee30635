package io.minutes.server;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;

import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** The OpenAPI 3.1 document, made from the same route list the server registers. */
final class OpenApi {
    private static final Pattern PATH_PARAM = Pattern.compile("\\{([a-z_]+)}");
    private static final Map<Integer, String> SUCCESSES = Map.of(200, "OK", 202, "Accepted");

    private static final String NOTES = """
            Errors are RFC 9457 problem+json with a stable `code`; a 500 `INTERNAL` carries an `error_id` \
            that the server logs with the failure. `tier` (ordinary|sensitive) is stored per \
            meeting: a sensitive meeting goes only to providers in allow-sensitive, else it fails saying so. \
            `date` (per meeting: an ISO date such as 2026-11-16; an ISO date-time counts as its day as written) is the \
            day the meeting took place, from which due dates said as "by Friday" get their `due_date`; without it, \
            the date a transcript JSON's `"date"` carries, else one in the title, is used; a meeting shows the date \
            used as `date` (null: none known). \
            `on_duplicate` (skip, the default|replace|allow_duplicates) deduplicates a batch's meetings against \
            each other and the earlier batches of the same tenant answered by the same provider, model and \
            analysis version (same normalised transcript, or same given title in the same tier): skip stores a duplicate `skipped`, pointing to the earlier meeting and showing its \
            minutes, with no provider call; replace processes it again and marks the earlier one replaced. \
            `options.priority` (high|normal|low) weighs the batch's share of the claims; `options.max_attempts` \
            (1..100) is the number of attempts each of the batch's meetings gets in all (a transient failure \
            is retried until then; without it, the service's max-attempts). `options.language` (auto or a BCP 47 \
            code) and `options.template` (auto or a template the service knows) say how the batch's minutes are \
            written, over the service's language and template settings. `options.budget_usd` \
            (a number >= 0) is the most the batch may cost: a batch whose estimate (what would be sent: not the \
            duplicates, not the answers the result cache holds) passes it is refused with 400 OVER_BUDGET and \
            the estimate (`meetings`, `cached`, `duplicates`, `recordings`, `input_tokens`, `max_output_tokens`, \
            `max_cost_usd`), nothing stored, unless `options.allow_over_budget` is true; while it runs, each \
            provider call (transcriptions too) reserves the most it may cost, and once spent + reserved would \
            pass the budget the remaining meetings are skipped with reason budget_exhausted and the batch's \
            status becomes budget_exhausted. Uploads take `options` as a JSON field, and `budget_usd` and \
            `allow_over_budget` also as fields of their own. `options.deadline` (a duration such as 8h, or an \
            ISO-8601 instant with its offset) is when the batch must be done by; one in the past or without an \
            offset is refused; the status shows it with its `cut_over`. `options.lane` (auto|realtime|flex|batch) is \
            the lane asked for; a budget is held at the price of the lane each call is sent in (a provider \
            batch's line reserves its batch price, and is skipped budget_exhausted when that does not fit; a \
            line sent realtime after the cut-over reserves the list price), and the estimate the budget is \
            checked against is at the planned lanes' prices (`max_cost_in_lanes_usd`). While meetings wait in \
            provider batches, the status's `provider_batches` carry the provider's own counts, as the SSE \
            `provider_batch` events do. Every /api route answers 503 `NOT_READY` when \
            the store cannot be read to check API keys.""";

    private OpenApi() {
    }

    static ObjectNode document(List<MinutesServer.Route> routes) {
        ObjectNode doc = Views.JSON.createObjectNode();
        doc.put("openapi", "3.1.0");
        doc.putObject("info").put("title", "Minutes API").put("version", "1").put("description", NOTES);
        ObjectNode components = doc.putObject("components");
        components.putObject("securitySchemes").putObject("bearer").put("type", "http").put("scheme", "bearer");
        ArrayNode codes = components.putObject("schemas").putObject("Problem").put("type", "object")
                .putObject("properties").putObject("code").put("type", "string").putArray("enum");
        for (ErrorCode code : ErrorCode.values()) codes.add(code.name());
        describeTheMinutes((ObjectNode) components.get("schemas"));
        describeABatch((ObjectNode) components.get("schemas"));
        doc.putArray("security").addObject().putArray("bearer");
        ObjectNode paths = doc.putObject("paths");
        for (MinutesServer.Route route : routes) {
            ObjectNode path = paths.has(route.path()) ? (ObjectNode) paths.get(route.path()) : paths.putObject(route.path());
            ObjectNode op = path.putObject(route.method().name().toLowerCase(Locale.ROOT));
            op.put("summary", route.summary());
            op.put("operationId", route.method().name().toLowerCase(Locale.ROOT) + route.path().replaceAll("[^A-Za-z0-9]+", "_"));
            Matcher m = PATH_PARAM.matcher(route.path());
            ArrayNode params = null;
            while (m.find()) {
                if (params == null) params = op.putArray("parameters");
                params.addObject().put("name", m.group(1)).put("in", "path").put("required", true)
                        .putObject("schema").put("type", "string");
            }
            ObjectNode responses = op.putObject("responses");
            java.util.SortedSet<Integer> statuses = new java.util.TreeSet<>(route.statuses());
            statuses.add(500);
            if (route.path().startsWith("/api/")) statuses.add(503); // the API-key check needs the store
            for (int status : statuses) {
                ObjectNode response = responses.putObject(String.valueOf(status));
                response.put("description", description(status));
                String type = status >= 400 ? MinutesServer.PROBLEM_JSON
                        : route.path().endsWith("/events") ? "text/event-stream"
                        : route.path().endsWith("/results") ? "application/x-ndjson"
                        : route.path().equals("/metrics") ? "text/plain" : "application/json";
                ObjectNode content = response.putObject("content").putObject(type);
                if (status == 200 && (route.path().equals("/api/v1/meetings/{meeting_id}") || route.path().endsWith("/results"))) {
                    // the results are one meeting per line, in input order
                    content.putObject("schema").put("$ref", "#/components/schemas/Meeting");
                }
                if (status == 200 && route.method() == io.javalin.http.HandlerType.GET && route.path().equals(BATCH_STATUS)) {
                    content.putObject("schema").put("$ref", "#/components/schemas/BatchStatus");
                }
            }
        }
        return doc;
    }

    /** The route of a batch's status. */
    static final String BATCH_STATUS = "/api/v1/meetings/batch/{id}";

    /**
     * A batch's status as the API serves it: its counts, tokens and cost, its options as submitted, its budget, its
     * deadline and cut-over, the provider batches its meetings wait in with the provider's counts, its receipt and its
     * results; a test compares it with a status the server really answers.
     */
    private static void describeABatch(ObjectNode schemas) {
        ObjectNode options = object(schemas, "BatchOptions", "The options the batch was submitted with: lane (auto, "
                + "realtime, flex or batch; realtime when none was asked), deadline (ISO-8601, null: none), language and "
                + "template (auto: the service's settings), and the others as given.");
        property(options, "priority", "string");
        property(options, "max_attempts", "integer", "null");
        property(options, "budget_usd", "number", "null");
        property(options, "allow_over_budget", "boolean");
        for (String text : List.of("lane", "language", "template")) property(options, text, "string");
        property(options, "deadline", "string", "null").put("format", "date-time");
        ObjectNode budget = object(schemas, "Budget", "The batch's budget, held at the price of the lane each call is sent "
                + "in (a provider batch's line reserves its batch price; a realtime call the list price): spent, reserved by "
                + "the calls and lines in flight, and the meetings it refused (skipped budget_exhausted).");
        for (String usd : List.of("limit_usd", "spent_usd", "reserved_usd")) property(budget, usd, "number");
        property(budget, "exhausted_meetings", "integer");
        ObjectNode providerBatch = object(schemas, "ProviderBatch", "A provider batch (OpenAI Batch API, Anthropic Message "
                + "Batches) that holds or answered meetings of the batch, as last polled: the provider's id (ours until it is "
                + "created), its status, lines done of its lines, and the sentence the SSE provider_batch event carries.");
        for (String text : List.of("provider_batch", "status", "message")) property(providerBatch, text, "string");
        property(providerBatch, "done", "integer");
        property(providerBatch, "total", "integer");
        ObjectNode receipt = object(schemas, "Receipt", "The minutes at the list price, what was paid in the lanes they ran "
                + "in, and the difference.");
        for (String usd : List.of("list_usd", "paid_usd", "saved_usd")) property(receipt, usd, "number");
        ObjectNode status = object(schemas, "BatchStatus", "A batch: its counts (waiting: inside a provider batch), tokens, "
                + "cost, ETA, options, budget (null: none), deadline and cut_over (when what still waits in a provider batch "
                + "moves to realtime, as worked out now; null without a deadline or a batch lane), provider_batches, receipt "
                + "and results in input order.");
        for (String text : List.of("batch_id", "name", "submitted_at", "status", "provider", "on_duplicate")) {
            property(status, text, "string", "null");
        }
        for (String count : List.of("total", "queued", "processing", "waiting", "completed", "failed", "skipped", "cancelled")) {
            property(status, count, "integer");
        }
        ObjectNode tokens = property(status, "tokens", "object");
        tokens.putObject("properties");
        for (String count : List.of("input", "output", "total")) property(tokens, count, "integer");
        property(status, "cost_usd", "number");
        property(status, "estimated_cost", "number");
        property(status, "eta_seconds", "integer", "null");
        ((ObjectNode) status.get("properties")).putObject("options").put("$ref", "#/components/schemas/BatchOptions");
        reference(status, "budget", "Budget");
        property(status, "deadline", "string", "null").put("format", "date-time");
        property(status, "cut_over", "string", "null").put("format", "date-time");
        array(status, "provider_batches").putObject("items").put("$ref", "#/components/schemas/ProviderBatch");
        ((ObjectNode) status.get("properties")).putObject("receipt").put("$ref", "#/components/schemas/Receipt");
        array(status, "results").putObject("items").put("$ref", "#/components/schemas/BatchResult");
        ObjectNode result = object(schemas, "BatchResult", "One meeting of the batch, without its minutes (the results route "
                + "and the meeting route carry them). lane: the lane that produced its minutes, until then the lane it is "
                + "planned for; reason: why it was skipped; date: the day it took place, when known.");
        for (String text : List.of("meeting_id", "title", "source", "status", "lane", "error", "reason", "duplicate_of",
                "replaced_by", "completed_at")) {
            property(result, text, "string", "null");
        }
        property(result, "date", "string", "null").put("format", "date");
        property(result, "index", "integer");
        property(result, "attempts", "integer");
        property(result, "tokens", "integer");
        property(result, "cost_usd", "number");
    }

    /**
     * The minutes as the API serves them (a meeting, its analysis and the items' evidence), the shapes scripts depend
     * on; a test compares them with a meeting the server really answers.
     */
    private static void describeTheMinutes(ObjectNode schemas) {
        ObjectNode evidence = object(schemas, "Evidence", "Where an item was said: the transcript segment (its index), its "
                + "start in seconds (null when the transcript has no times), the speaker and a short verbatim quote.");
        property(evidence, "segment", "integer");
        property(evidence, "start", "number", "null");
        property(evidence, "speaker", "string", "null");
        property(evidence, "quote", "string");
        ObjectNode action = object(schemas, "ActionItem", "Something someone agreed to do. owner: a participant's name as "
                + "participants spells it, or null (unassigned); due: the words said; due_date: the ISO date when the meeting's "
                + "date is known; supported: false only for an item kept although its evidence was not found "
                + "(unsupported-items: mark).");
        property(action, "description", "string");
        property(action, "owner", "string", "null");
        property(action, "due", "string", "null");
        property(action, "due_date", "string", "null").put("format", "date");
        reference(action, "evidence", "Evidence");
        property(action, "supported", "boolean");
        ObjectNode finding = object(schemas, "Finding", "A decision or an open question, with where it was said.");
        property(finding, "text", "string");
        reference(finding, "evidence", "Evidence");
        property(finding, "supported", "boolean");
        ObjectNode coverage = object(schemas, "PartCoverage", "What one part of a long meeting contributed to the minutes.");
        for (String count : List.of("part", "parts", "action_items", "decisions", "open_questions")) property(coverage, count, "integer");
        ObjectNode section = object(schemas, "Section", "A section the meeting's template adds (a council's Motions).");
        property(section, "name", "string");
        array(section, "items").putObject("items").put("type", "string");
        ObjectNode participant = object(schemas, "Participant", "Someone who spoke: words, and talk time when the transcript has times.");
        property(participant, "name", "string");
        property(participant, "words", "integer");
        property(participant, "talk_seconds", "number", "null");
        ObjectNode analysis = object(schemas, "Analysis", "The minutes of one meeting. language: the language they are "
                + "written in (BCP 47); template: the template that shaped them; unsupported_items: items whose evidence was "
                + "not found (dropped or marked); warnings: what the meeting's reader should know.");
        property(analysis, "title", "string");
        property(analysis, "summary", "string");
        array(analysis, "action_items").putObject("items").put("$ref", "#/components/schemas/ActionItem");
        array(analysis, "decisions").putObject("items").put("$ref", "#/components/schemas/Finding");
        array(analysis, "open_questions").putObject("items").put("$ref", "#/components/schemas/Finding");
        array(analysis, "topics").putObject("items").put("type", "string");
        array(analysis, "participants").putObject("items").put("$ref", "#/components/schemas/Participant");
        property(analysis, "redactions", "object", "null").putObject("additionalProperties").put("type", "integer");
        property(analysis, "language", "string", "null");
        property(analysis, "template", "string", "null");
        array(analysis, "coverage").putObject("items").put("$ref", "#/components/schemas/PartCoverage");
        property(analysis, "unsupported_items", "integer");
        array(analysis, "warnings").putObject("items").put("type", "string");
        array(analysis, "sections").putObject("items").put("$ref", "#/components/schemas/Section");
        ObjectNode meeting = object(schemas, "Meeting", "One meeting of a batch; analysis is null until it has minutes. "
                + "lane: the lane that produced its minutes (realtime, flex, batch); date: the day it took place (as "
                + "submitted, from its file's metadata, or from its file name or title; null when none says), from which "
                + "due dates are resolved.");
        for (String text : List.of("meeting_id", "title", "source", "status", "lane", "reason", "duplicate_of", "replaced_by",
                "completed_at", "batch_id", "tier", "content_hash")) {
            property(meeting, text, "string", "null");
        }
        property(meeting, "date", "string", "null").put("format", "date");
        property(meeting, "index", "integer");
        property(meeting, "attempts", "integer");
        property(meeting, "cost_usd", "number", "null");
        reference(meeting, "analysis", "Analysis");
        for (String other : List.of("error", "tokens", "usage", "attempt_history", "transcript")) {
            ((ObjectNode) meeting.get("properties")).putObject(other);
        }
    }

    private static ObjectNode object(ObjectNode schemas, String name, String description) {
        ObjectNode schema = schemas.putObject(name).put("type", "object").put("description", description);
        schema.putObject("properties");
        return schema;
    }

    private static ObjectNode property(ObjectNode schema, String name, String... types) {
        ObjectNode property = ((ObjectNode) schema.get("properties")).putObject(name);
        if (types.length == 1) property.put("type", types[0]);
        else {
            ArrayNode union = property.putArray("type");
            for (String type : types) union.add(type);
        }
        return property;
    }

    private static ObjectNode array(ObjectNode schema, String name) {
        return property(schema, name, "array");
    }

    private static void reference(ObjectNode schema, String name, String to) {
        ((ObjectNode) schema.get("properties")).putObject(name).putArray("oneOf")
                .add(Views.JSON.createObjectNode().put("$ref", "#/components/schemas/" + to))
                .add(Views.JSON.createObjectNode().put("type", "null"));
    }

    /** A success's reason, or the codes an error status may carry, each with what it means. */
    static String description(int status) {
        if (SUCCESSES.containsKey(status)) return SUCCESSES.get(status);
        List<ErrorCode> codes = ErrorCode.withStatus(status);
        if (codes.isEmpty()) throw new IllegalStateException("a route answers " + status + " but no error code has that status");
        return codes.stream().map(code -> code.name() + ": " + code.meaning()).collect(java.util.stream.Collectors.joining("; "));
    }
}
