package io.minutes.server;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.PropertyNamingStrategies;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.json.JsonMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.fasterxml.jackson.datatype.jsr310.JavaTimeModule;
import io.minutes.core.domain.Attempt;
import io.minutes.core.domain.Batch;
import io.minutes.core.domain.BatchCounts;
import io.minutes.core.domain.BatchStatus;
import io.minutes.core.domain.Budget;
import io.minutes.core.domain.Failure;
import io.minutes.core.domain.Meeting;
import io.minutes.core.domain.Receipt;
import io.minutes.core.domain.MeetingState;
import io.minutes.core.domain.Submission;
import io.minutes.core.domain.Usage;
import io.minutes.core.domain.ProgressEvent;
import io.minutes.core.domain.ProviderBatchProgress;
import io.minutes.core.lane.LaneChoice;
import io.minutes.core.port.BatchLookup.MeetingDetail;
import io.minutes.core.port.BatchStore;
import io.minutes.core.port.ProviderBatchStore;
import io.minutes.core.style.MinutesStyle;

import java.time.Instant;

import java.time.LocalDate;
import java.util.List;

/** The API's JSON shapes, snake_case, in one place (the OpenAPI document describes the same). */
final class Views {
    static final ObjectMapper JSON = JsonMapper.builder()
            .addModule(new JavaTimeModule())
            .propertyNamingStrategy(PropertyNamingStrategies.SNAKE_CASE)
            .disable(SerializationFeature.WRITE_DATES_AS_TIMESTAMPS)
            .build();

    private Views() {
    }

    static ObjectNode counts(ObjectNode node, BatchCounts c) {
        node.put("total", c.total());
        node.put("queued", c.queued());
        node.put("processing", c.running());
        node.put("waiting", c.waiting()); // inside a provider batch (the batch lane)
        node.put("completed", c.completed());
        node.put("failed", c.failed());
        node.put("skipped", c.skipped());
        node.put("cancelled", c.cancelled());
        node.put("status", c.status().wireName());
        return node;
    }

    /**
     * A batch without its results: what the list shows. {@code throughput} is the service's, in meetings/s;
     * {@code budget} null for a batch without one. A finished batch whose budget refused meetings has the
     * status {@code budget_exhausted}.
     */
    static ObjectNode batchSummary(Batch batch, Submission submission, Budget budget, double throughput) {
        return batchSummary(batch, null, submission, budget, throughput);
    }

    /** A batch's name: its first meeting's title (or file), and how many more it holds. */
    static String batchName(String firstTitle, int total) {
        if (firstTitle == null) return null;
        return total > 1 ? firstTitle + " and " + (total - 1) + " more" : firstTitle;
    }

    /** @param firstTitle the title (or file) of the batch's first meeting, null when unknown */
    static ObjectNode batchSummary(Batch batch, String firstTitle, Submission submission, Budget budget, double throughput) {
        ObjectNode node = JSON.createObjectNode();
        node.put("batch_id", batch.id());
        node.put("name", batchName(firstTitle, batch.counts().total()));
        node.put("submitted_at", batch.submittedAt().toString());
        counts(node, batch.counts());
        if (budget != null) node.put("status", BatchStatus.of(batch.counts(), budget.exhaustedMeetings()).wireName());
        Usage usage = batch.usage() == null ? Usage.NONE : batch.usage();
        ObjectNode tokens = node.putObject("tokens");
        tokens.put("input", usage.inputTokens());
        tokens.put("output", usage.outputTokens());
        tokens.put("total", usage.inputTokens() + usage.outputTokens());
        node.put("cost_usd", usage.costUsd());
        BatchCounts c = batch.counts();
        int remaining = c.queued() + c.running() + c.waiting();
        // cost so far plus the remaining meetings at the average cost of the completed ones
        double average = c.completed() == 0 ? 0 : usage.costUsd() / c.completed();
        node.put("estimated_cost", usage.costUsd() + average * remaining);
        if (remaining == 0) {
            node.put("eta_seconds", 0);
        } else if (throughput > 0) {
            node.put("eta_seconds", (long) Math.ceil(remaining / throughput));
        } else {
            node.putNull("eta_seconds");
        }
        node.put("provider", batch.provider());
        if (submission != null) {
            node.put("on_duplicate", submission.onDuplicate().wireName());
            ObjectNode options = node.putObject("options");
            options.put("priority", submission.priority());
            if (submission.maxAttempts() == null) options.putNull("max_attempts");
            else options.put("max_attempts", submission.maxAttempts());
            if (submission.budgetUsd() == null) options.putNull("budget_usd");
            else options.put("budget_usd", submission.budgetUsd());
            options.put("allow_over_budget", submission.allowOverBudget());
            options.put("lane", (submission.lane() == null ? LaneChoice.REALTIME : submission.lane()).wireName());
            MinutesStyle style = submission.style();
            // as asked: auto (null) leaves them to the service's settings
            options.put("language", style == null || style.language().isAuto() ? "auto" : style.language().code());
            options.put("template", style == null || style.templateIsAuto() ? "auto" : style.template());
        }
        if (budget == null) {
            node.putNull("budget");
        } else {
            ObjectNode b = node.putObject("budget");
            b.put("limit_usd", budget.limitUsd());
            b.put("spent_usd", budget.spentUsd());
            b.put("reserved_usd", budget.reservedUsd());
            b.put("exhausted_meetings", budget.exhaustedMeetings());
        }
        return node;
    }

    /**
     * A batch's status: its summary, its deadline ({@code deadline}: when it must be done by; {@code cut_over}: when
     * what still waits in a provider batch moves to realtime, as worked out now, null when not known), the provider
     * batches its meetings wait or waited in, with the provider's own counts, its receipt and its results.
     */
    static ObjectNode batch(BatchStore.BatchView view, double throughput, Instant cutOver) {
        List<Meeting> meetings = view.meetings();
        String first = meetings.isEmpty() ? null : meetings.getFirst().title() != null ? meetings.getFirst().title() : meetings.getFirst().source();
        ObjectNode node = batchSummary(view.batch(), first, view.submission(), view.budget(), throughput);
        BatchStore.BatchDeadline deadline = view.deadline();
        node.put("deadline", deadline == null ? null : deadline.deadline().toString());
        if (view.submission() != null) ((ObjectNode) node.get("options")).put("deadline", node.get("deadline").asText(null));
        node.put("cut_over", deadline == null || cutOver == null ? null : cutOver.toString());
        ArrayNode providerBatches = node.putArray("provider_batches");
        for (ProviderBatchStore.ProviderBatch pb : view.providerBatches()) providerBatches.add(providerBatch(pb));
        receipt(node.putObject("receipt"), Receipt.of(meetings));
        ArrayNode results = node.putArray("results");
        for (Meeting m : meetings) results.add(result(m));
        return node;
    }

    /**
     * One provider batch as the provider's counts last showed it, in the words of the SSE {@code provider_batch}
     * event: its id at the provider (ours until it is created), its status, lines done of its lines, and the sentence.
     */
    static ObjectNode providerBatch(ProviderBatchStore.ProviderBatch pb) {
        ProviderBatchProgress told = pb.progress();
        ObjectNode node = JSON.createObjectNode();
        node.put("provider_batch", told.id());
        node.put("status", told.status());
        node.put("done", told.done());
        node.put("total", told.total());
        node.put("message", told.describe());
        return node;
    }

    /** What the batch's minutes cost at the list price, what was paid in the lanes they ran in, and the difference. */
    static ObjectNode receipt(ObjectNode node, Receipt receipt) {
        node.put("list_usd", receipt.listUsd());
        node.put("paid_usd", receipt.paidUsd());
        node.put("saved_usd", receipt.savedUsd());
        return node;
    }

    static ObjectNode result(Meeting m) {
        ObjectNode node = JSON.createObjectNode();
        node.put("meeting_id", m.id());
        node.put("index", m.index());
        node.put("title", m.title());
        node.put("source", m.source());
        // the day it took place: as given, from its file's metadata, or from its name (due dates are resolved from it)
        LocalDate date = m.meetingDate();
        node.put("date", date == null ? null : date.toString());
        node.put("status", m.state().wireName());
        // the lane that produced its minutes; until then the lane it is planned for
        node.put("lane", (m.ranLane() != null ? m.ranLane() : m.lane()).wireName());
        node.put("attempts", m.attemptCount());
        node.put("error", error(m)); // for a skipped meeting its reason too, as before "reason" existed
        node.put("reason", m.state() == MeetingState.SKIPPED ? m.skipReason() : null);
        node.put("duplicate_of", m.duplicateOf());
        node.put("replaced_by", m.replacedBy());
        if (m.usage() != null) {
            node.put("tokens", m.usage().inputTokens() + m.usage().outputTokens());
            node.put("cost_usd", m.usage().costUsd());
        }
        node.put("completed_at", m.completedAt() == null ? null : m.completedAt().toString());
        return node;
    }

    /** Why a meeting did not complete: its skip reason, its failure, or the failure a retry waits on. */
    static String error(Meeting m) {
        if (m.state() == MeetingState.SKIPPED) return m.skipReason();
        if (m.state() == MeetingState.COMPLETED || m.lastFailure() == null) return null;
        return m.lastFailure().message();
    }

    /** One line of the NDJSON results: the result with its minutes and usage. */
    static ObjectNode resultLine(Meeting m) {
        ObjectNode node = result(m);
        node.set("analysis", m.analysis() == null ? null : JSON.valueToTree(m.analysis()));
        node.set("usage", m.usage() == null ? null : JSON.valueToTree(m.usage()));
        return node;
    }

    static ObjectNode meeting(MeetingDetail detail) {
        Meeting m = detail.meeting();
        ObjectNode node = resultLine(m);
        node.put("batch_id", m.batchId());
        node.put("tier", detail.tier().wireName());
        node.put("content_hash", m.contentHash());
        node.put("completed_at", m.completedAt() == null ? null : m.completedAt().toString());
        ArrayNode attempts = node.putArray("attempt_history");
        for (Attempt a : m.attempts()) {
            ObjectNode an = attempts.addObject();
            an.put("number", a.number());
            an.put("started_at", a.startedAt() == null ? null : a.startedAt().toString());
            an.put("finished_at", a.finishedAt() == null ? null : a.finishedAt().toString());
            an.put("error", a.failure() == null ? null : a.failure().message());
        }
        node.set("transcript", detail.transcript() == null ? null : JSON.valueToTree(detail.transcript()));
        return node;
    }

    static ObjectNode meetingEvent(long seq, ProgressEvent e) {
        return meetingEvent(seq, e, e.counts());
    }

    /** {@code counts} are the batch's as the stream tells them (never behind what it told before). */
    static ObjectNode meetingEvent(long seq, ProgressEvent e, BatchCounts counts) {
        ObjectNode node = JSON.createObjectNode();
        node.put("seq", seq);
        node.put("batch_id", e.batchId());
        node.put("meeting_id", e.meetingId());
        node.put("index", e.index());
        node.put("title", e.title());
        node.put("status", e.state().wireName());
        node.put("attempt", e.attempt());
        Failure f = e.failure();
        node.put("error", f == null ? null : f.message());
        if (f != null && e.state() == MeetingState.QUEUED) node.put("retrying", true);
        node.set("counts", counts(JSON.createObjectNode(), counts));
        return node;
    }

    /** The provider's own counts for a provider batch where meetings of the batch wait (SSE event {@code provider_batch}). */
    static ObjectNode providerBatchEvent(long seq, ProgressEvent e) {
        ObjectNode node = JSON.createObjectNode();
        node.put("seq", seq);
        node.put("batch_id", e.batchId());
        node.put("provider_batch", e.providerBatch().id());
        node.put("status", e.providerBatch().status());
        node.put("done", e.providerBatch().done());
        node.put("total", e.providerBatch().total());
        node.put("message", e.providerBatch().describe());
        return node;
    }

    static JsonNode progress(String batchId, BatchCounts counts) {
        ObjectNode node = JSON.createObjectNode();
        node.put("batch_id", batchId);
        return counts(node, counts);
    }
}
