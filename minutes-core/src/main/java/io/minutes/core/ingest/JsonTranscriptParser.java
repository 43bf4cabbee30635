package io.minutes.core.ingest;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * Transcript JSON: Minutes' own {@code {"title"?, "segments": [{"speaker","start","end","text"}]}} (or a bare array
 * of segments), and QMSum's {@code {"meeting_transcripts": [{"speaker","content"}]}}.
 */
final class JsonTranscriptParser {

    static final String SHAPES = "expected {\"segments\": [{\"speaker\", \"start\", \"end\", \"text\"}]} "
            + "or QMSum {\"meeting_transcripts\": [{\"speaker\", \"content\"}]}";

    private JsonTranscriptParser() {
    }

    static ParsedTranscript parse(String text) throws ParseException {
        Object root = JsonReader.read(text);
        if (root instanceof List<?> list) return new ParsedTranscript("json", null, segments(list, "segments", "text"), List.of());
        if (!(root instanceof Map<?, ?> map)) throw new ParseException(0, "not a transcript: " + SHAPES);
        String title = map.get("title") instanceof String s && !s.isBlank() ? s.strip() : null;
        if (map.get("segments") instanceof List<?> list) {
            return new ParsedTranscript("json", title, segments(list, "segments", "text"), List.of());
        }
        if (map.get("meeting_transcripts") instanceof List<?> list) {
            return new ParsedTranscript("qmsum", title, segments(list, "meeting_transcripts", "content"), List.of());
        }
        throw new ParseException(0, "not a transcript (fields: " + String.join(", ", keys(map)) + "); " + SHAPES);
    }

    private static List<Piece> segments(List<?> items, String field, String textField) throws ParseException {
        List<Piece> pieces = new ArrayList<>();
        for (int i = 0; i < items.size(); i++) {
            String where = field + "[" + i + "]";
            if (!(items.get(i) instanceof Map<?, ?> item)) {
                throw new ParseException(0, where + ": expected an object, found " + describe(items.get(i)));
            }
            Object text = item.get(textField);
            if (!(text instanceof String s)) {
                throw new ParseException(0, where + "." + textField + ": expected a string, found " + describe(text));
            }
            Object speaker = item.get("speaker");
            if (speaker != null && !(speaker instanceof String)) {
                throw new ParseException(0, where + ".speaker: expected a string or null, found " + describe(speaker));
            }
            pieces.add(Piece.of(blankToNull((String) speaker), seconds(item, "start", where),
                    seconds(item, "end", where), s));
        }
        return pieces;
    }

    private static Double seconds(Map<?, ?> item, String name, String where) throws ParseException {
        Object value = item.get(name);
        if (value == null) return null;
        if (value instanceof Number n && n.doubleValue() >= 0) return n.doubleValue();
        throw new ParseException(0, where + "." + name + ": expected seconds as a number >= 0, found " + describe(value));
    }

    private static String blankToNull(String s) {
        return s == null || s.isBlank() ? null : s.strip();
    }

    private static List<String> keys(Map<?, ?> map) {
        return map.keySet().stream().map(String::valueOf).limit(8).toList();
    }

    private static String describe(Object value) {
        if (value == null) return "null";
        if (value instanceof String s) return "a string \"" + VttParser.clip(s) + "\"";
        if (value instanceof Number n) return "the number " + n;
        if (value instanceof Boolean b) return b.toString();
        if (value instanceof List<?>) return "an array";
        return "an object";
    }
}
