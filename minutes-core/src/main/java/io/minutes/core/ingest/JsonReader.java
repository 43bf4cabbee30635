package io.minutes.core.ingest;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * A small, strict JSON (RFC 8259) reader: objects become {@code Map<String,Object>} (in input order), arrays
 * {@code List<Object>}, numbers {@code Long} when integral and in range, else {@code Double}; strings, booleans
 * and {@code null} as themselves. Errors name the line and column.
 */
final class JsonReader {

    private static final int MAX_DEPTH = 256;

    private final String text;
    private final Map<Object, Integer> startLines;
    private int pos;
    private int depth;
    private int scanned; // lineAt has counted line breaks before this position
    private int scannedLine = 1;

    private JsonReader(String text, Map<Object, Integer> startLines) {
        this.text = text;
        this.startLines = startLines;
    }

    static Object read(String text) throws ParseException {
        return read(text, new java.util.IdentityHashMap<>());
    }

    /** @param startLines filled with the line each object and array starts on, for errors about the shape */
    static Object read(String text, Map<Object, Integer> startLines) throws ParseException {
        JsonReader reader = new JsonReader(text, startLines);
        reader.skipWhitespace();
        Object value = reader.readValue();
        reader.skipWhitespace();
        if (reader.pos < text.length()) {
            throw reader.error("unexpected " + reader.describeCurrent() + " after the end of the JSON value");
        }
        return value;
    }

    private Object readValue() throws ParseException {
        if (pos >= text.length()) throw error("unexpected end of input, expected a value");
        char c = text.charAt(pos);
        return switch (c) {
            case '{' -> readObject();
            case '[' -> readArray();
            case '"' -> readString();
            case 't' -> readLiteral("true", Boolean.TRUE);
            case 'f' -> readLiteral("false", Boolean.FALSE);
            case 'n' -> readLiteral("null", null);
            default -> {
                if (c == '-' || (c >= '0' && c <= '9')) yield readNumber();
                throw error("expected a value, found " + describeCurrent());
            }
        };
    }

    private Map<String, Object> readObject() throws ParseException {
        enter();
        Map<String, Object> map = new LinkedHashMap<>();
        startLines.put(map, lineAt(pos));
        pos++; // {
        skipWhitespace();
        if (peek() == '}') {
            pos++;
            depth--;
            return map;
        }
        while (true) {
            skipWhitespace();
            if (peek() != '"') throw error("expected a field name in double quotes, found " + describeCurrent());
            int keyStart = pos;
            String key = readString();
            if (map.containsKey(key)) {
                pos = keyStart;
                throw error("duplicate field \"" + key + "\"");
            }
            skipWhitespace();
            expect(':');
            skipWhitespace();
            map.put(key, readValue());
            skipWhitespace();
            if (peek() == ',') {
                pos++;
            } else if (peek() == '}') {
                pos++;
                depth--;
                return map;
            } else {
                throw error("expected ',' or '}' in object, found " + describeCurrent());
            }
        }
    }

    private List<Object> readArray() throws ParseException {
        enter();
        List<Object> list = new ArrayList<>();
        startLines.put(list, lineAt(pos));
        pos++; // [
        skipWhitespace();
        if (peek() == ']') {
            pos++;
            depth--;
            return list;
        }
        while (true) {
            skipWhitespace();
            list.add(readValue());
            skipWhitespace();
            if (peek() == ',') {
                pos++;
            } else if (peek() == ']') {
                pos++;
                depth--;
                return list;
            } else {
                throw error("expected ',' or ']' in array, found " + describeCurrent());
            }
        }
    }

    private String readString() throws ParseException {
        pos++; // opening quote
        StringBuilder sb = new StringBuilder();
        while (true) {
            if (pos >= text.length()) throw error("unterminated string");
            char c = text.charAt(pos);
            if (c == '"') {
                pos++;
                return sb.toString();
            }
            if (c < 0x20) throw error("control character U+%04X inside a string must be escaped".formatted((int) c));
            if (c != '\\') {
                sb.append(c);
                pos++;
                continue;
            }
            pos++;
            if (pos >= text.length()) throw error("unterminated escape sequence");
            char e = text.charAt(pos);
            switch (e) {
                case '"', '\\', '/' -> sb.append(e);
                case 'b' -> sb.append('\b');
                case 'f' -> sb.append('\f');
                case 'n' -> sb.append('\n');
                case 'r' -> sb.append('\r');
                case 't' -> sb.append('\t');
                case 'u' -> {
                    pos++;
                    sb.append(readHex4());
                    continue;
                }
                default -> throw error("invalid escape \\" + e + " in string");
            }
            pos++;
        }
    }

    // \\uXXXX; a lone surrogate is kept as is, like most readers, since the text is only ever displayed.
    private char readHex4() throws ParseException {
        if (pos + 4 > text.length()) throw error("\\u escape needs four hex digits");
        int value = 0;
        for (int i = 0; i < 4; i++) {
            int digit = Character.digit(text.charAt(pos), 16);
            if (digit < 0) throw error("\\u escape needs four hex digits, found " + describeCurrent());
            value = value * 16 + digit;
            pos++;
        }
        return (char) value;
    }

    private Object readNumber() throws ParseException {
        int start = pos;
        if (peek() == '-') pos++;
        if (peek() == '0') {
            pos++;
        } else if (isDigit(peek())) {
            while (isDigit(peek())) pos++;
        } else {
            throw error("expected a digit, found " + describeCurrent());
        }
        boolean integral = true;
        if (peek() == '.') {
            integral = false;
            pos++;
            if (!isDigit(peek())) throw error("expected a digit after the decimal point, found " + describeCurrent());
            while (isDigit(peek())) pos++;
        }
        if (peek() == 'e' || peek() == 'E') {
            integral = false;
            pos++;
            if (peek() == '+' || peek() == '-') pos++;
            if (!isDigit(peek())) throw error("expected a digit in the exponent, found " + describeCurrent());
            while (isDigit(peek())) pos++;
        }
        String literal = text.substring(start, pos);
        if (integral && literal.length() < 19) return Long.parseLong(literal);
        return Double.parseDouble(literal);
    }

    private Object readLiteral(String word, Object value) throws ParseException {
        if (!text.startsWith(word, pos)) throw error("expected a value, found " + describeCurrent());
        pos += word.length();
        return value;
    }

    private void enter() throws ParseException {
        if (++depth > MAX_DEPTH) throw error("nested deeper than " + MAX_DEPTH + " levels");
    }

    private void expect(char c) throws ParseException {
        if (peek() != c) throw error("expected '" + c + "', found " + describeCurrent());
        pos++;
    }

    private char peek() {
        return pos < text.length() ? text.charAt(pos) : '\0';
    }

    private static boolean isDigit(char c) {
        return c >= '0' && c <= '9';
    }

    private void skipWhitespace() {
        while (pos < text.length()) {
            char c = text.charAt(pos);
            if (c != ' ' && c != '\t' && c != '\n' && c != '\r') return;
            pos++;
        }
    }

    private String describeCurrent() {
        if (pos >= text.length()) return "end of input";
        int cp = text.codePointAt(pos);
        if (cp < 0x20) return "control character U+%04X".formatted(cp);
        return "'" + Character.toString(cp) + "'";
    }

    /** The 1-based line of {@code position}; positions only grow while reading, so each break is counted once. */
    private int lineAt(int position) {
        for (; scanned < position && scanned < text.length(); scanned++) {
            char c = text.charAt(scanned);
            if (c == '\n' || (c == '\r' && (scanned + 1 >= text.length() || text.charAt(scanned + 1) != '\n'))) {
                scannedLine++;
            }
        }
        return scannedLine;
    }

    private ParseException error(String problem) {
        int line = 1;
        int lineStart = 0;
        for (int i = 0; i < pos && i < text.length(); i++) {
            char c = text.charAt(i);
            if (c == '\n' || (c == '\r' && (i + 1 >= text.length() || text.charAt(i + 1) != '\n'))) {
                line++;
                lineStart = i + 1;
            }
        }
        int column = pos - lineStart + 1;
        return new ParseException(line, column, "invalid JSON: " + problem);
    }
}
