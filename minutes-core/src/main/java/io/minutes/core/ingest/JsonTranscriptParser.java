package io.minutes.core.ingest;

import io.minutes.core.trust.MeetingDate;

import java.time.LocalDate;
import java.util.ArrayList;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * Transcript JSON: Minutes' own {@code {"title"?, "date"?, "segments": [{"speaker","start","end","text","annotations"?}]}} (or
 * a bare array of segments), and QMSum's {@code {"meeting_transcripts": [{"speaker","content"}]}}. Errors about the
 * shape name the line where the offending object starts and its path, e.g. {@code segments[3].text}. {@code "date"}: the
 * day the meeting took place (see {@link MeetingDate#FORMAT}), for due dates said as "by Friday".
 */
final class JsonTranscriptParser {

    static final String SHAPES = "expected {\"segments\": [{\"speaker\", \"start\", \"end\", \"text\"}]} "
            + "or QMSum {\"meeting_transcripts\": [{\"speaker\", \"content\"}]}";

    private JsonTranscriptParser() {
    }

    static ParsedTranscript parse(String text) throws ParseException {
        Map<Object, Integer> lines = new IdentityHashMap<>();
        Object root = JsonReader.read(text, lines);
        if (root instanceof List<?> list) return new ParsedTranscript("json", null, segments(list, "segments", "text", lines), List.of());
        if (!(root instanceof Map<?, ?> map)) throw new ParseException(firstLine(text), "not a transcript: " + SHAPES);
        String title = map.get("title") instanceof String s && !s.isBlank() ? s.strip() : null;
        if (map.get("segments") instanceof List<?> list) {
            return new ParsedTranscript("json", title, segments(list, "segments", "text", lines), List.of(),
                    date(map, lines));
        }
        if (map.get("meeting_transcripts") instanceof List<?> list) {
            return new ParsedTranscript("qmsum", title, segments(list, "meeting_transcripts", "content", lines), List.of());
        }
        throw new ParseException(lines.getOrDefault(map, 1), "not a transcript (fields: " + String.join(", ", keys(map))
                + "); " + SHAPES);
    }

    /** The meeting's date, when the transcript says it. */
    private static LocalDate date(Map<?, ?> map, Map<Object, Integer> lines) throws ParseException {
        Object value = map.get("date");
        if (value == null) return null;
        if (value instanceof String s) {
            Optional<LocalDate> day = MeetingDate.parse(s);
            if (day.isPresent()) return day.get();
        }
        throw new ParseException(lines.getOrDefault(map, 1), "date: expected the day the meeting took place as "
                + MeetingDate.FORMAT + ", found " + describe(value));
    }

    private static List<Piece> segments(List<?> items, String field, String textField, Map<Object, Integer> lines)
            throws ParseException {
        List<Piece> pieces = new ArrayList<>();
        for (int i = 0; i < items.size(); i++) {
            String where = field + "[" + i + "]";
            if (!(items.get(i) instanceof Map<?, ?> item)) {
                throw new ParseException(lines.getOrDefault(items, 1), where + ": expected an object, found "
                        + describe(items.get(i)));
            }
            int line = lines.getOrDefault(item, 1);
            Object text = item.get(textField);
            if (!(text instanceof String s)) {
                throw new ParseException(line, where + "." + textField + ": expected a string, found " + describe(text));
            }
            Object speaker = item.get("speaker");
            if (speaker != null && !(speaker instanceof String)) {
                throw new ParseException(line, where + ".speaker: expected a string or null, found " + describe(speaker));
            }
            // segments without a speaker stay apart as given: nothing says they are one person's turn
            String who = blankToNull((String) speaker);
            pieces.add(new Piece(who, seconds(item, "start", where, line), seconds(item, "end", where, line),
                    s + annotations(item, where, line), who == null));
        }
        return pieces;
    }

    /** Annotations go back into the text as [tags], where the normaliser takes them out again, in order. */
    private static String annotations(Map<?, ?> item, String where, int line) throws ParseException {
        Object value = item.get("annotations");
        if (value == null) return "";
        if (!(value instanceof List<?> list)) {
            throw new ParseException(line, where + ".annotations: expected an array of strings, found " + describe(value));
        }
        StringBuilder tags = new StringBuilder();
        for (Object a : list) {
            if (!(a instanceof String s) || s.isBlank() || s.length() > 30 || s.contains("[") || s.contains("]")) {
                throw new ParseException(line, where + ".annotations: expected short strings without brackets, found "
                        + describe(a));
            }
            tags.append(" [").append(s).append(']');
        }
        return tags.toString();
    }

    private static int firstLine(String text) {
        int line = 1;
        for (int i = 0; i < text.length() && Character.isWhitespace(text.charAt(i)); i++) {
            if (text.charAt(i) == '\n') line++;
        }
        return line;
    }

    private static Double seconds(Map<?, ?> item, String name, String where, int line) throws ParseException {
        Object value = item.get(name);
        if (value == null) return null;
        if (value instanceof Number n && n.doubleValue() >= 0 && Double.isFinite(n.doubleValue())) return n.doubleValue();
        throw new ParseException(line, where + "." + name + ": expected seconds as a number >= 0, found " + describe(value));
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
