package io.minutes.app;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * Issue 14: SQLite's disk (and --out's) filling up on a real tmpfs while {@code minutes run} works,
 * against an OpenAI-compatible provider over real HTTP that counts what it answered.
 */
class DiskFullTest {
    private static final int MEETINGS = 60;

    @TempDir
    Path work;

    private MinutesProcess run(SharedOpenAiProvider provider, Path db, String... extra) throws Exception {
        List<String> args = new ArrayList<>(List.of("run", "in", "--out", "out", "--db", db.toString(),
                "--provider", "openai", "--base-url", provider.baseUrl(), "--model", "gpt-4o-mini",
                "--concurrency", "10", "--json"));
        args.addAll(List.of(extra));
        return MinutesProcess.start(work, Map.of("OPENAI_API_KEY", SharedOpenAiProvider.KEY), args.toArray(String[]::new));
    }

    private static int answered(SharedOpenAiProvider provider) {
        return provider.servedPerMeeting().values().stream().mapToInt(Integer::intValue).sum();
    }

    private static void assertNoStackTrace(String stderr) {
        assertThat(stderr).doesNotContain("Exception", "\tat ", "SQLITE_FULL");
    }

    /**
     * Broke: with the database's disk full mid-run, run never exited (305 SQLITE_FULL stack traces), 12
     * answers were received and 7 recorded, and after space was freed the rerun bought 3 meetings again.
     */
    @Test
    void diskFullMidRunKeepsEveryPaidAnswerWaitsAndResumesWhenSpaceIsFreed() throws Exception {
        TestTranscripts.writeMany(work.resolve("in"), MEETINGS);
        try (Tmpfs disk = Tmpfs.mount(work.resolve("disk"), 8);
             SharedOpenAiProvider provider = new SharedOpenAiProvider(60_000, Duration.ofMillis(400))) {
            MinutesProcess run = run(provider, disk.dir().resolve("m.db"));
            await().atMost(Duration.ofSeconds(60)).pollInterval(Duration.ofMillis(10)).until(() -> provider.answering() == 10);
            disk.fill();
            await().atMost(Duration.ofSeconds(60)).until(() -> run.stderrText().contains("disk full at " + disk.dir()));
            int boughtWhileFull = answered(provider);
            disk.free();

            MinutesProcess.Finished finished = run.await(90);

            assertThat(finished.exitCode()).as(finished.stderr()).isZero();
            assertThat(new ObjectMapper().readTree(finished.stdout()).get("completed").asInt()).isEqualTo(MEETINGS);
            System.out.println("DiskFullTest mid-run, freed: " + MEETINGS + " meetings, provider answered "
                    + answered(provider) + " calls (" + boughtWhileFull + " by the time the disk was full)");
            assertThat(provider.servedPerMeeting()).hasSize(MEETINGS)
                    .allSatisfy((meeting, calls) -> assertThat(calls).as("calls for meeting %d", meeting).isEqualTo(1));
            assertThat(finished.stderr()).containsOnlyOnce("disk full at " + disk.dir() + " since")
                    .contains("resuming by itself", "the store is back");
            assertNoStackTrace(finished.stderr());
        }
    }

    /**
     * Broke: the same, and running again on the still-full disk ended in a stack trace and a
     * NullPointerException in the minutes-interrupt thread. Now: a bounded wait, exit 1 with one clear
     * line, the same on the still-full disk, and once space is freed a rerun buys nothing twice.
     */
    @Test
    void diskFullStopsCleanlyAfterTheOutageLimitAndARerunAfterFreeingSpaceBuysNothingAgain() throws Exception {
        TestTranscripts.writeMany(work.resolve("in"), MEETINGS);
        try (Tmpfs disk = Tmpfs.mount(work.resolve("disk"), 8);
             SharedOpenAiProvider provider = new SharedOpenAiProvider(60_000, Duration.ofMillis(400))) {
            Path db = disk.dir().resolve("m.db");
            MinutesProcess first = run(provider, db, "--store-outage-limit", "3s");
            await().atMost(Duration.ofSeconds(60)).pollInterval(Duration.ofMillis(10)).until(() -> provider.answering() == 10);
            disk.fill();

            MinutesProcess.Finished stopped = first.await(60);

            assertThat(stopped.exitCode()).as(stopped.stderr()).isEqualTo(1);
            assertThat(stopped.stderr()).containsOnlyOnce("minutes: disk full at " + disk.dir() + " since")
                    .containsOnlyOnce("resuming by itself")
                    .contains("stopped: disk full at " + disk.dir(), "run the same command again")
                    .doesNotContain("Interrupted");
            assertNoStackTrace(stopped.stderr());
            int boughtBeforeStop = answered(provider);

            disk.fill(); // again: closing the database gave its write-ahead log's room back
            MinutesProcess.Finished stillFull = run(provider, db, "--store-outage-limit", "2s").await(60);
            assertThat(stillFull.exitCode()).as(stillFull.stderr()).isEqualTo(1);
            assertThat(stillFull.stderr()).contains("disk full at " + disk.dir());
            assertNoStackTrace(stillFull.stderr());
            assertThat(answered(provider)).as("nothing sent while the disk is full").isEqualTo(boughtBeforeStop);

            disk.free();
            MinutesProcess.Finished rerun = run(provider, db).await(90);

            assertThat(rerun.exitCode()).as(rerun.stderr()).isZero();
            JsonNode report = new ObjectMapper().readTree(rerun.stdout());
            assertThat(report.get("completed").asInt()).isEqualTo(MEETINGS);
            System.out.println("DiskFullTest stopped, rerun: " + MEETINGS + " meetings, provider answered "
                    + answered(provider) + " calls (" + boughtBeforeStop + " before the stop)");
            assertThat(provider.servedPerMeeting()).as("no answer bought twice").hasSize(MEETINGS)
                    .allSatisfy((meeting, calls) -> assertThat(calls).as("calls for meeting %d", meeting).isEqualTo(1));
        }
    }

    /**
     * Broke: a transcription answered while the database's disk was full lost its checkpoint (the meeting
     * went back to the queue) and was paid for again once space was freed.
     */
    @Test
    void aTranscriptionAnsweredWhileTheDiskIsFullIsCheckpointedOnceSpaceIsFreedNotPaidTwice() throws Exception {
        TestRecordings.assumeTools();
        int recordings = 3;
        Path in = Files.createDirectories(work.resolve("in"));
        for (int i = 1; i <= recordings; i++) {
            Files.copy(TestRecordings.speech(TestRecordings.MEETING + " This was call number " + i + "."),
                    in.resolve("call-" + i + ".wav"));
        }
        try (Tmpfs disk = Tmpfs.mount(work.resolve("disk"), 8);
             CountingTranscriber transcriber = new CountingTranscriber(recordings, () -> fill(disk), 3_000)) {
            MinutesProcess run = MinutesProcess.start(work, "run", "in", "--out", "out", "--db",
                    disk.dir().resolve("m.db").toString(), "--transcriber", "openai", "--transcriber-base-url",
                    transcriber.baseUrl(), "--provider", "local", "--concurrency", String.valueOf(recordings), "--json");
            await().atMost(Duration.ofSeconds(60)).until(() -> run.stderrText().contains("disk full at " + disk.dir()));
            disk.free();

            MinutesProcess.Finished finished = run.await(90);

            assertThat(transcriber.faulted()).isTrue();
            assertThat(finished.exitCode()).as(finished.stderr()).isZero();
            assertThat(new ObjectMapper().readTree(finished.stdout()).get("completed").asInt()).isEqualTo(recordings);
            Map<String, Integer> answered = transcriber.answeredPerRecording();
            System.out.println("DiskFullTest transcriptions while full: " + recordings + " recordings, transcriber answered "
                    + answered);
            assertThat(answered).as("every recording transcribed exactly once").hasSize(recordings)
                    .allSatisfy((recording, calls) -> assertThat(calls).as("calls for %s", recording).isEqualTo(1));
            assertThat(finished.stderr()).containsOnlyOnce("disk full at " + disk.dir() + " since").contains("the store is back");
            assertNoStackTrace(finished.stderr());
        }
    }

    private static void fill(Tmpfs disk) {
        try {
            disk.fill();
        } catch (java.io.IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
    }

    /** Broke: with only --out full, every meeting completed, then an uncaught IOException, no batch.json, a .tmp left. */
    @Test
    void outFolderFullSaysSoWithoutAStackTraceLeavesNoTmpFileAndTheNextRunWritesTheMinutes() throws Exception {
        TestTranscripts.writeMany(work.resolve("in"), 5);
        try (Tmpfs disk = Tmpfs.mount(work.resolve("out"), 1)) {
            disk.fill();
            String[] args = {"run", "in", "--out", "out", "--db", "m.db", "--provider", "local"};

            MinutesProcess.Finished full = MinutesProcess.run(work, args);

            assertThat(full.exitCode()).as(full.stderr()).isEqualTo(1);
            assertThat(full.stderr()).contains("cannot write the minutes to out", "disk is full", "run the same command again");
            assertNoStackTrace(full.stderr());
            try (Stream<Path> files = Files.list(disk.dir())) {
                assertThat(files.map(p -> p.getFileName().toString())).as("nothing half-written").containsOnly("filler");
            }

            disk.free();
            MinutesProcess.Finished again = MinutesProcess.run(work, args);
            assertThat(again.exitCode()).as(again.stderr()).isZero();
            assertThat(disk.dir().resolve("batch.json")).exists();
        }
    }
}
