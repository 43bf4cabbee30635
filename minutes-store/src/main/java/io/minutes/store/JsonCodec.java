package io.minutes.store;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.json.JsonMapper;
import io.minutes.core.domain.Analysis;
import io.minutes.core.domain.Transcript;

/** The JSON kept in the store's TEXT/JSONB columns: transcripts and analyses, as their records. */
public final class JsonCodec {
    // tolerant of fields a newer version added, so an older binary can still read the database
    private static final ObjectMapper MAPPER = JsonMapper.builder()
            .disable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES)
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
}
