package io.minutes.server;

import com.fasterxml.jackson.databind.JsonNode;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * File names and JSON bodies no well-behaved client sends, over real HTTP: each is accepted or refused
 * with a 4xx that says what is wrong, never a 500, and no answer names the JSON parser's internals.
 */
class UntrustedInputTest {
    private static final String BATCH = "/api/v1/meetings/batch";
    private static final String UPLOAD = BATCH + "/upload";

    @TempDir
    Path dir;
    TestService svc;

    @AfterEach
    void stop() {
        if (svc != null) svc.close();
    }

    private TestService.Answer upload(String fileName) throws Exception {
        return svc.send(Multipart.named(svc.request(UPLOAD), fileName,
                TestService.transcriptAbout(fileName).getBytes(StandardCharsets.UTF_8)));
    }

    private JsonNode batchesStored() throws Exception {
        return svc.get(BATCH).json().path("batches");
    }

    @Test
    void anUploadNamedSlashWasA500() throws Exception {
        svc = new TestService(dir);

        var answer = upload("/");

        assertThat(answer.status()).as(answer.body()).isEqualTo(202);
        var batch = svc.get(BATCH + "/" + answer.json().path("batch_id").asText()).json();
        assertThat(batch.path("results").get(0).path("source").asText()).isEqualTo("upload");
    }

    @Test
    void anUploadWithA300CharacterExtensionWasA500() throws Exception {
        svc = new TestService(dir);

        var answer = upload("notes." + "x".repeat(300));

        assertThat(answer.status()).as(answer.body()).isEqualTo(202);
        assertThat(answer.json().path("total").asInt()).isEqualTo(1);
    }

    @Test
    void uploadNamesWithFoldersDotsAndControlCharactersAreAcceptedUnderTheirLastSegment() throws Exception {
        svc = new TestService(dir);
        for (String name : List.of("..", "../../etc/passwd.txt", "C:\\\\Users\\\\a\\\\minutes.txt", "tab\there.txt", "a".repeat(1_000) + ".txt")) {
            var answer = upload(name);
            assertThat(answer.status()).as(name + ": " + answer.body()).isEqualTo(202);
            var source = svc.get(BATCH + "/" + answer.json().path("batch_id").asText()).json().path("results").get(0).path("source").asText();
            assertThat(source).as(name).doesNotContain("/", "\\", "\t").hasSizeLessThanOrEqualTo(UploadNames.MAX_LENGTH);
        }
    }

    @Test
    void trailingGarbageAfterAValidJsonBodyWasAccepted() throws Exception {
        svc = new TestService(dir);

        var answer = svc.post(BATCH, TestService.batchOf("Release sync") + " trailing garbage");

        assertThat(answer.status()).as(answer.body()).isEqualTo(400);
        assertThat(answer.json().path("code").asText()).isEqualTo("INVALID_JSON");
        assertThat(answer.json().path("detail").asText()).contains("more after its JSON object", "exactly one JSON object");
        assertThat(batchesStored()).isEmpty();
        assertThat(svc.post(BATCH, TestService.batchOf("Release sync") + "  \n").status()).as("whitespace after is fine").isEqualTo(202);
    }

    @Test
    void aTwentyMillionCharacterJsonStringWasCalledNotValidJson() throws Exception {
        svc = new TestService(dir, 1_000, 100_000_000, 10_000, Duration.ofSeconds(30));
        String body = "{\"meetings\":[{\"title\":\"Huge\",\"transcript\":\"" + "a".repeat(20_000_001) + "\"}]}";

        var answer = svc.post(BATCH, body);

        assertThat(answer.status()).as(answer.json().toString()).isEqualTo(413);
        assertThat(answer.json().path("code").asText()).isEqualTo("JSON_VALUE_TOO_LARGE");
        assertThat(answer.json().path("detail").asText())
                .contains("longer than 20,000,000 characters", "file upload")
                .doesNotContain("not valid JSON", "StreamReadConstraints");
        assertThat(batchesStored()).isEmpty();
    }

    @Test
    void jsonErrorsNeverNameTheParsersInternals() throws Exception {
        svc = new TestService(dir);
        for (String body : List.of("{\"meetings\": NaN}", "{/* comment */ \"meetings\": []}", "{'meetings': []}",
                "{\"meetings\": [{\"title\": \"a\u0001b\"}]}", "{\"meetings\": [01]}", "{\"meetings\": [", "[".repeat(2_000))) {
            var answer = svc.post(BATCH, body);
            assertThat(answer.status()).as(body).isIn(400, 413);
            assertThat(answer.json().path("detail").asText()).as(body)
                    .doesNotContain("Feature", "`", "[Source", "jackson", "StreamRead", "REDACTED");
        }
        var options = svc.send(Multipart.of(svc.request(UPLOAD), List.of(), java.util.Map.of("options", "{\"priority\": NaN}")));
        assertThat(options.status()).isEqualTo(400);
        assertThat(options.body()).doesNotContain("Feature", "`", "[Source");
    }
}
