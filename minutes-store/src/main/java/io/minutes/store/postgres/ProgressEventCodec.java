package io.minutes.store.postgres;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.minutes.core.domain.BatchCounts;
import io.minutes.core.domain.Failure;
import io.minutes.core.domain.MeetingState;
import io.minutes.core.domain.ProgressEvent;
import io.minutes.core.domain.ProviderBatchProgress;

import java.time.Duration;

/**
 * A {@link ProgressEvent} as a NOTIFY payload (JSON). PostgreSQL caps a payload at 8,000 bytes, so
 * the title and the failure message are cut to keep any event below it.
 */
final class ProgressEventCodec {
    static final int MAX_TITLE_CHARS = 300;
    static final int MAX_MESSAGE_CHARS = 1_000;
    private static final ObjectMapper MAPPER = new ObjectMapper();

    private ProgressEventCodec() {
    }

    static final int MAX_PAYLOAD_BYTES = 7_900;

    static String encode(ProgressEvent e) {
        String json = encode(e, MAX_TITLE_CHARS, MAX_MESSAGE_CHARS);
        // escapes can make text several times longer than its characters: cut harder when it does
        return json.getBytes(java.nio.charset.StandardCharsets.UTF_8).length <= MAX_PAYLOAD_BYTES ? json : encode(e, 40, 200);
    }

    private static String encode(ProgressEvent e, int maxTitle, int maxMessage) {
        ObjectNode json = MAPPER.createObjectNode()
                .put("batch", e.batchId())
                .put("meeting", e.meetingId())
                .put("index", e.index())
                .put("title", cut(e.title(), maxTitle))
                .put("state", e.state().wireName())
                .put("attempt", e.attempt());
        if (e.failure() != null) {
            ObjectNode failure = json.putObject("failure")
                    .put("kind", e.failure().kind().wireName())
                    .put("message", cut(e.failure().message(), maxMessage));
            if (e.failure().retryAfter() != null) failure.put("retry_after_ms", e.failure().retryAfter().toMillis());
        }
        BatchCounts c = e.counts();
        json.putArray("counts").add(c.queued()).add(c.running()).add(c.completed())
                .add(c.failed()).add(c.skipped()).add(c.cancelled()).add(c.waiting());
        if (e.providerBatch() != null) {
            ProviderBatchProgress p = e.providerBatch();
            json.putObject("provider_batch").put("id", p.id()).put("status", p.status()).put("done", p.done())
                    .put("total", p.total());
        }
        return json.toString();
    }

    static ProgressEvent decode(String payload) {
        JsonNode json;
        try {
            json = MAPPER.readTree(payload);
        } catch (JsonProcessingException e) {
            throw new IllegalArgumentException("not a progress event: " + payload, e);
        }
        Failure failure = null;
        JsonNode f = json.get("failure");
        if (f != null) {
            JsonNode retryAfter = f.get("retry_after_ms");
            failure = new Failure(Failure.Kind.fromWire(f.get("kind").asText()), f.get("message").asText(),
                    retryAfter == null ? null : Duration.ofMillis(retryAfter.asLong()));
        }
        JsonNode c = json.get("counts");
        BatchCounts counts = new BatchCounts(c.get(0).asInt(), c.get(1).asInt(), c.get(2).asInt(),
                c.get(3).asInt(), c.get(4).asInt(), c.get(5).asInt(),
                c.size() > 6 ? c.get(6).asInt() : 0); // waiting: sent since V014; a node from before sends six
        JsonNode title = json.get("title");
        JsonNode meeting = json.get("meeting");
        JsonNode pb = json.get("provider_batch");
        ProviderBatchProgress providerBatch = pb == null ? null : new ProviderBatchProgress(pb.get("id").asText(),
                pb.get("status").asText(), pb.get("done").asInt(), pb.get("total").asInt());
        return new ProgressEvent(json.get("batch").asText(), meeting == null || meeting.isNull() ? null : meeting.asText(),
                json.get("index").asInt(), title == null || title.isNull() ? null : title.asText(),
                MeetingState.fromWire(json.get("state").asText()), json.get("attempt").asInt(), failure, counts, providerBatch);
    }

    private static String cut(String s, int max) {
        return s == null || s.length() <= max ? s : s.substring(0, max - 1) + "…";
    }
}
