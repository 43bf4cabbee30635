package io.minutes.app;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;

import static org.assertj.core.api.Assertions.assertThat;

/** {@code minutes run} as a user runs it: a separate process, real files, a real SQLite database. */
class RunCommandTest {
    private static final ObjectMapper JSON = new ObjectMapper();

    @TempDir
    Path work;

    @Test
    void writesMinutesForEachInputAndABatchReportInInputOrder() throws Exception {
        Path in = Files.createDirectories(work.resolve("in"));
        Files.writeString(in.resolve("b-standup.txt"), TestTranscripts.text(1));
        Files.writeString(in.resolve("a-planning.vtt"), """
                WEBVTT

                00:00:01.000 --> 00:00:05.000
                <v Alice>We decided to move the launch to March because the audit is late.

                00:00:05.000 --> 00:00:09.000
                <v Bob>I will send the revised plan to the board by Friday.
                """);
        Files.writeString(in.resolve("c-empty.txt"), "   \n");
        Files.writeString(in.resolve("notes.pdf"), "%PDF-1.4");

        MinutesProcess.Finished run = MinutesProcess.run(work, "run", "in", "--out", "out", "--db", "state/m.db", "--json");

        assertThat(run.exitCode()).as(run.stderr()).isZero();
        JsonNode batch = JSON.readTree(run.stdout());
        assertThat(batch.get("status").asText()).isEqualTo("completed");
        assertThat(batch.get("total").asInt()).isEqualTo(3);
        assertThat(batch.get("items")).extracting(i -> i.get("source").asText())
                .containsExactly("a-planning.vtt", "b-standup.txt", "c-empty.txt");
        assertThat(batch.get("items").get(2).get("status").asText()).isEqualTo("skipped");
        assertThat(batch.get("items").get(2).get("reason").asText()).isNotBlank();
        assertThat(run.stderr()).contains("notes.pdf");

        JsonNode minutes = JSON.readTree(work.resolve("out/a-planning.json").toFile());
        for (String field : new String[]{"title", "summary", "action_items", "decisions", "open_questions", "topics", "participants"}) {
            assertThat(minutes.has(field)).as(field).isTrue();
        }
        assertThat(minutes.get("participants")).extracting(p -> p.get("name").asText()).contains("Alice", "Bob");
        assertThat(Files.readString(work.resolve("out/a-planning.md"))).contains("## Summary", "## Action items");
        assertThat(work.resolve("out/batch.json")).exists();
    }

    @Test
    void twoDifferentMeetingsWithTheSameFileNameEachGetTheirOwnMinutes() throws Exception {
        Files.createDirectories(work.resolve("in/week1"));
        Files.createDirectories(work.resolve("in/week2"));
        Files.writeString(work.resolve("in/week1/standup.txt"), TestTranscripts.text(1));
        Files.writeString(work.resolve("in/week2/standup.txt"), """
                Carol: The invoice export broke again overnight, the finance team noticed it this morning.
                Dave: I will fix the export job and add an alert by Wednesday.
                Carol: We decided to freeze the billing schema until the quarter closes.
                """);

        MinutesProcess.Finished run = MinutesProcess.run(work, "run", "in", "--out", "out", "--db", "m.db", "--json");

        assertThat(run.exitCode()).as(run.stderr()).isZero();
        JsonNode batch = JSON.readTree(run.stdout());
        assertThat(batch.get("items")).extracting(i -> i.get("status").asText()).containsExactly("completed", "completed");
        assertThat(JSON.readTree(work.resolve("out/standup.json").toFile()).get("participants"))
                .extracting(p -> p.get("name").asText()).containsExactlyInAnyOrder("Alice", "Bob");
        assertThat(JSON.readTree(work.resolve("out/standup-2.json").toFile()).get("participants"))
                .extracting(p -> p.get("name").asText()).containsExactlyInAnyOrder("Carol", "Dave");
        assertThat(Files.readString(work.resolve("out/standup-2.md"))).contains("week2/standup.txt", "billing schema");
    }

    @Test
    void theZoomTranscriptWithNamedSpeakersIsNotSkippedAsADuplicateOfTheCaptionsOfTheSameRecording() throws Exception {
        Path in = Files.createDirectories(work.resolve("in"));
        for (String name : new String[]{"zoomstudentengagement__GMT20240124-202901_Recording.cc.vtt",
                "zoomstudentengagement__GMT20240124-202901_Recording.transcript.vtt"}) {
            try (var corpusFile = RunCommandTest.class.getResourceAsStream("/corpus/" + name)) {
                Files.copy(corpusFile, in.resolve(name));
            }
        }

        MinutesProcess.Finished run = MinutesProcess.run(work, "run", "in", "--out", "out", "--db", "m.db", "--json");

        assertThat(run.exitCode()).as(run.stderr()).isZero();
        JsonNode batch = JSON.readTree(run.stdout());
        assertThat(batch.get("items")).extracting(i -> i.get("status").asText()).containsExactly("completed", "completed");
        JsonNode transcript = JSON.readTree(work.resolve("out").resolve(batch.get("items").get(1).get("output").asText()).toFile());
        assertThat(transcript.get("participants")).hasSize(5);
    }

    @Test
    void anUnreadableFileFailsAloneWithAMessageNamingItAndExitStatusOne() throws Exception {
        Path in = Files.createDirectories(work.resolve("in"));
        Files.writeString(in.resolve("good.txt"), TestTranscripts.text(2));
        Files.writeString(in.resolve("broken.json"), "{\"segments\": [ {\"speaker\": \"A\", \"text\": \"hi\" ,, ] }");

        MinutesProcess.Finished run = MinutesProcess.run(work, "run", "in", "--out", "out", "--db", "m.db", "--json");

        assertThat(run.exitCode()).as(run.stderr()).isEqualTo(1);
        JsonNode batch = JSON.readTree(run.stdout());
        assertThat(batch.get("status").asText()).isEqualTo("partial");
        JsonNode broken = batch.get("items").get(0);
        assertThat(broken.get("status").asText()).isEqualTo("failed");
        assertThat(broken.get("error").get("kind").asText()).isEqualTo("permanent");
        assertThat(broken.get("error").get("message").asText()).contains("broken.json").containsPattern("line \\d+");
        assertThat(batch.get("items").get(1).get("status").asText()).isEqualTo("completed");
    }

    @Test
    void transientProviderErrorsAreRetriedAndTheAttemptsShowInBatchJson() throws Exception {
        TestTranscripts.writeMany(work.resolve("in"), 40);

        MinutesProcess.Finished run = MinutesProcess.run(work, "run", "in", "--out", "out", "--db", "m.db",
                "--provider", "sim", "--sim-error-rate", "0.3", "--max-attempts", "10", "--retry-base-delay", "5ms",
                "--json");

        assertThat(run.exitCode()).as(run.stderr()).isZero();
        JsonNode batch = JSON.readTree(run.stdout());
        assertThat(batch.get("completed").asInt()).isEqualTo(40);
        JsonNode retried = null;
        for (JsonNode item : batch.get("items")) if (item.get("attempts").asInt() > 1) retried = item;
        assertThat(retried).as("some meeting needed more than one attempt at a 30% error rate").isNotNull();
        assertThat(retried.get("attempt_log").get(0).get("outcome").asText()).isEqualTo("transient");
        assertThat(retried.get("attempt_log").get(0).get("message").asText()).contains("503");
    }

    @Test
    void aProvidersLimitsFromTheConfigFileAreKeptWithAdaptiveConcurrency() throws Exception {
        TestTranscripts.writeMany(work.resolve("in"), 30);
        // the sim enforces 600 RPM (10 a second, per second) and answers 429 past it; told the window, the
        // throttle paces per second from the start (left to learn it, it would pay one episode of 429s)
        Files.writeString(work.resolve("limits.properties"), "rpm = 600\nrate-window = second\nconcurrency = auto\npriority = high\n");

        MinutesProcess.Finished run = MinutesProcess.run(work, "run", "in", "--out", "out", "--db", "m.db",
                "--config", "limits.properties", "--provider", "sim", "--sim-latency-ms", "100",
                "--sim-latency-sd-ms", "30", "--sim-rpm", "600", "--json");

        assertThat(run.exitCode()).as(run.stderr()).isZero();
        JsonNode batch = JSON.readTree(run.stdout());
        assertThat(batch.get("completed").asInt()).isEqualTo(30);
        assertThat(batch.get("items")).as("no call was answered 429, so none was tried twice")
                .allSatisfy(i -> assertThat(i.get("attempts").asInt()).isEqualTo(1));
    }

    @Test
    void aSecondRunOfTheSameInputsRedoesNothing() throws Exception {
        TestTranscripts.writeMany(work.resolve("in"), 5);
        MinutesProcess.Finished first = MinutesProcess.run(work, "run", "in", "--out", "out", "--db", "m.db", "--json");
        MinutesProcess.Finished second = MinutesProcess.run(work, "run", "in", "--out", "out", "--db", "m.db", "--json");

        assertThat(second.exitCode()).isZero();
        JsonNode a = JSON.readTree(first.stdout());
        JsonNode b = JSON.readTree(second.stdout());
        assertThat(b.get("batch_id")).isEqualTo(a.get("batch_id"));
        assertThat(b.get("items")).allSatisfy(i -> assertThat(i.get("attempts").asInt()).isEqualTo(1));
        assertThat(second.stderr()).contains("already finished");
    }

    @Test
    void runningAFailedBatchAgainRetriesOnlyItsFailedMeetingsWithAFreshBudget() throws Exception {
        TestTranscripts.writeMany(work.resolve("in"), 3);
        MinutesProcess.Finished failing = MinutesProcess.run(work, "run", "in", "--out", "out", "--db", "m.db",
                "--provider", "sim", "--sim-error-rate", "1", "--max-attempts", "2", "--retry-base-delay", "1ms", "--json");
        assertThat(failing.exitCode()).isEqualTo(1);
        assertThat(JSON.readTree(failing.stdout()).get("status").asText()).isEqualTo("failed");

        MinutesProcess.Finished rerun = MinutesProcess.run(work, "run", "in", "--out", "out", "--db", "m.db",
                "--provider", "sim", "--sim-error-rate", "0", "--max-attempts", "2", "--json");

        assertThat(rerun.exitCode()).as(rerun.stderr()).isZero();
        assertThat(rerun.stderr()).contains("trying its 3 failed meeting(s) again");
        JsonNode batch = JSON.readTree(rerun.stdout());
        assertThat(batch.get("batch_id")).isEqualTo(JSON.readTree(failing.stdout()).get("batch_id"));
        assertThat(batch.get("items")).allSatisfy(i -> {
            assertThat(i.get("status").asText()).isEqualTo("completed");
            assertThat(i.get("attempts").asInt()).isEqualTo(3);
        });
    }

    @Test
    void badSettingsAreUsageErrorsThatNameTheSetting() throws Exception {
        TestTranscripts.writeMany(work.resolve("in"), 1);
        MinutesProcess.Finished run = MinutesProcess.run(work, "run", "in", "--concurrency", "zero");
        assertThat(run.exitCode()).isEqualTo(2);
        assertThat(run.stderr()).contains("concurrency").contains("zero").contains("auto");

        MinutesProcess.Finished priority = MinutesProcess.run(work, "run", "in", "--priority", "urgent");
        assertThat(priority.exitCode()).isEqualTo(2);
        assertThat(priority.stderr()).contains("priority").contains("urgent").contains("high, normal or low");

        MinutesProcess.Finished missing = MinutesProcess.run(work, "run", "no-such-folder");
        assertThat(missing.exitCode()).isEqualTo(2);
        assertThat(missing.stderr()).contains("no-such-folder");
    }

    @Test
    void configPrintsEveryEffectiveSettingWithItsSource() throws Exception {
        Files.writeString(work.resolve("minutes.properties"), "concurrency = 9\n");
        MinutesProcess.Finished run = MinutesProcess.run(work, "config", "--provider", "sim");
        assertThat(run.exitCode()).as(run.stderr()).isZero();
        assertThat(run.stdout()).containsPattern("concurrency\\s+= 9\\s+\\(\\./minutes\\.properties\\)")
                .containsPattern("provider\\s+= sim\\s+\\(--provider\\)")
                .containsPattern("max-attempts\\s+= 3\\s+\\(default\\)");
    }
}
