package io.minutes.store;

import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.DeserializationContext;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.deser.std.StdDeserializer;
import com.fasterxml.jackson.databind.json.JsonMapper;
import com.fasterxml.jackson.databind.module.SimpleModule;
import com.fasterxml.jackson.datatype.jsr310.JavaTimeModule;
import io.minutes.core.domain.ActionItem;
import io.minutes.core.domain.Analysis;
import io.minutes.core.domain.Evidence;
import io.minutes.core.domain.Finding;
import io.minutes.core.domain.Transcript;

import java.io.IOException;
import java.time.LocalDate;

/**
 * The JSON kept in the store's TEXT/JSONB columns: transcripts and analyses, as their records. Analyses
 * written before evidence existed still read: a decision or open question stored as a plain string becomes a
 * finding without evidence, and an item without {@code supported} is supported.
 */
public final class JsonCodec {
    // tolerant of fields a newer version added, so an older binary can still read the database
    private static final ObjectMapper MAPPER = JsonMapper.builder()
            .disable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES)
            .addModule(new JavaTimeModule())
            .disable(SerializationFeature.WRITE_DATES_AS_TIMESTAMPS)
            .addModule(new SimpleModule("older-analyses")
                    .addDeserializer(Finding.class, new FindingReader())
                    .addDeserializer(ActionItem.class, new ActionItemReader()))
            .build();

    private JsonCodec() {
    }

    public static String transcriptToJson(Transcript transcript) {
        return write(transcript);
    }

    public static Transcript transcriptFromJson(String json) {
        return read(json, Transcript.class);
    }

    public static String analysisToJson(Analysis analysis) {
        return write(analysis);
    }

    public static Analysis analysisFromJson(String json) {
        return read(json, Analysis.class);
    }

    private static String write(Object value) {
        if (value == null) return null;
        try {
            return MAPPER.writeValueAsString(value);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("cannot write " + value.getClass().getSimpleName() + " as JSON", e);
        }
    }

    private static <T> T read(String json, Class<T> type) {
        if (json == null) return null;
        try {
            return MAPPER.readValue(json, type);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("stored " + type.getSimpleName() + " JSON is unreadable", e);
        }
    }

    private static Evidence evidence(JsonNode item) throws JsonProcessingException {
        JsonNode e = item.get("evidence");
        return e == null || e.isNull() ? null : MAPPER.treeToValue(e, Evidence.class);
    }

    private static boolean supported(JsonNode item) {
        JsonNode s = item.get("supported");
        return s == null || s.isNull() || s.asBoolean();
    }

    private static String text(JsonNode item, String field) {
        JsonNode v = item.get(field);
        return v == null || v.isNull() ? null : v.asText();
    }

    /** A decision or open question: an object, or the plain string stored before evidence existed. */
    private static final class FindingReader extends StdDeserializer<Finding> {
        FindingReader() {
            super(Finding.class);
        }

        @Override
        public Finding deserialize(JsonParser p, DeserializationContext ctxt) throws IOException {
            JsonNode n = p.readValueAsTree();
            if (n.isTextual()) return new Finding(n.asText(), null, true);
            return new Finding(text(n, "text"), evidence(n), supported(n));
        }
    }

    /** An action item, with or without the evidence, support and due date added later. */
    private static final class ActionItemReader extends StdDeserializer<ActionItem> {
        ActionItemReader() {
            super(ActionItem.class);
        }

        @Override
        public ActionItem deserialize(JsonParser p, DeserializationContext ctxt) throws IOException {
            JsonNode n = p.readValueAsTree();
            String date = text(n, "dueDate");
            return new ActionItem(text(n, "description"), text(n, "owner"), text(n, "due"),
                    date == null ? null : LocalDate.parse(date), evidence(n), supported(n));
        }
    }
}
