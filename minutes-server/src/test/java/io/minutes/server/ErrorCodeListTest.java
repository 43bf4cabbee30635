package io.minutes.server;

import com.fasterxml.jackson.databind.JsonNode;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.stream.Stream;

import static org.assertj.core.api.Assertions.assertThat;

/** The list of error codes is the one source: the API's document shows it, and a test provokes every code. */
class ErrorCodeListTest {

    @Test
    void theOpenApiDocumentListsEveryCodeAndDescribesEachErrorStatusByItsCodes() {
        JsonNode doc = OpenApi.document(List.of());
        List<String> listed = new ArrayList<>();
        doc.path("components").path("schemas").path("Problem").path("properties").path("code").path("enum")
                .forEach(code -> listed.add(code.asText()));
        assertThat(listed).containsExactlyElementsOf(Arrays.stream(ErrorCode.values()).map(Enum::name).toList());

        assertThat(OpenApi.description(503)).contains("AT_CAPACITY", "BUSY", "NOT_READY").doesNotContain("OVER_BUDGET");
        assertThat(OpenApi.description(400)).contains("INVALID_REQUEST", "OVER_BUDGET");
    }

    @Test
    void everyCodeIsProvokedForRealByAServerTest() throws IOException {
        String tests;
        try (Stream<Path> files = Files.walk(Path.of("src/test/java/io/minutes/server"))) {
            tests = files.filter(f -> f.toString().endsWith("Test.java") && !f.endsWith("ErrorCodeListTest.java"))
                    .map(ErrorCodeListTest::read).reduce("", String::concat);
        }
        List<String> neverAsserted = Arrays.stream(ErrorCode.values()).map(Enum::name)
                .filter(code -> !tests.contains("\"" + code + "\"")).toList();
        assertThat(neverAsserted).as("codes no server test asserts on an answer").isEmpty();
    }

    private static String read(Path file) {
        try {
            return Files.readString(file);
        } catch (IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
    }
}
