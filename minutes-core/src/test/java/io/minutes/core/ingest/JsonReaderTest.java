package io.minutes.core.ingest;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class JsonReaderTest {

    @Test
    @SuppressWarnings("unchecked")
    void readsObjectsArraysAndScalarsInOrder() throws Exception {
        Object value = JsonReader.read(" {\"b\": [1, -2.5, 3e2, true, false, null], \"a\": {\"x\": \"y\"}} ");

        assertThat(value).isInstanceOf(Map.class);
        @SuppressWarnings("unchecked")
        Map<String, Object> map = (Map<String, Object>) value;
        assertThat(map.keySet()).containsExactly("b", "a");
        assertThat((List<Object>) map.get("b")).containsExactly(1L, -2.5, 300.0, true, false, null);
        assertThat(map.get("a")).isEqualTo(Map.of("x", "y"));
    }

    @Test
    void decodesEscapesIncludingSurrogatePairs() throws Exception {
        Object value = JsonReader.read("\"q\\\" b\\\\ s\\/ \\b\\f\\n\\r\\t \\u00e9 \\ud83d\\ude00\"");

        assertThat(value).isEqualTo("q\" b\\ s/ \b\f\n\r\t é 😀");
    }

    @Test
    void keepsLargeIntegersAsDoubles() throws Exception {
        assertThat(JsonReader.read("12345678901234567890")).isEqualTo(1.2345678901234567e19);
        assertThat(JsonReader.read("[]")).isEqualTo(List.of());
        assertThat(JsonReader.read("{}")).isEqualTo(Map.of());
    }

    @Test
    void reportsLineAndColumnOfASyntaxError() {
        ParseException e = catchThrowableOfType(ParseException.class,
                () -> JsonReader.read("{\n  \"a\": 1,\n  \"b\": tru\n}"));

        assertThat(e.place()).isEqualTo("line 3, column 8");
        assertThat(e.problem()).contains("expected a value");
    }

    @Test
    void countsCarriageReturnOnlyLineEndings() {
        ParseException e = catchThrowableOfType(ParseException.class, () -> JsonReader.read("[1,\r2,\r\n x]"));

        assertThat(e.place()).isEqualTo("line 3, column 2");
    }

    @ParameterizedTest
    @ValueSource(strings = {"", "{", "[1,]", "{\"a\":1,}", "{a:1}", "'x'", "01", "1.", "-", "1e", "\"\\x\"",
            "\"\\u12\"", "\"open", "[1] 2", "{\"a\":1 \"b\":2}", "nul", "\"tab\there\"", "{\"a\":1,\"a\":2}", "+1",
            "NaN"})
    void rejectsInvalidJson(String text) {
        assertThatThrownBy(() -> JsonReader.read(text))
                .isInstanceOf(ParseException.class)
                .hasMessageContaining("invalid JSON");
    }

    @Test
    void refusesDeepNestingInsteadOfOverflowingTheStack() {
        String deep = "[".repeat(10_000) + "]".repeat(10_000);

        assertThatThrownBy(() -> JsonReader.read(deep)).hasMessageContaining("nested deeper");
    }
}
