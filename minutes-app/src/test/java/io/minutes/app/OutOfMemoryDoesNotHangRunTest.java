package io.minutes.app;

import io.minutes.core.engine.InProcessStoreEvents;
import io.minutes.core.port.MeetingStore;
import io.minutes.store.sqlite.SqliteMeetingStore;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * Issue 14, "nothing hangs". Broke: an OutOfMemoryError in a thread of the engine (the claim loop, or a
 * meeting's pipeline) left {@code minutes run} waiting forever ("0/1 done ... running"), the meeting
 * {@code running} under a lease no one worked on.
 */
class OutOfMemoryDoesNotHangRunTest {
    private static final Pattern SERVING = Pattern.compile("serving on (http://\\S+) ");

    @TempDir
    Path work;

    /**
     * Deterministic: the local transcriber program writes a 1 GiB (sparse) transcript, which the pipeline
     * reads whole into a heap of 96 MiB: the allocation fails at once, on the meeting's worker thread,
     * while start-up and storing the batch fit easily.
     */
    @Test
    void aRunWhosePipelineRunsOutOfMemoryExitsOneWithOneClearLineAndTheRerunResumes() throws Exception {
        Path in = Files.createDirectories(work.resolve("in"));
        writeSilentWav(in.resolve("standup.wav"));
        Path tooLong = script("too-long-transcriber", "truncate -s 1G \"$2.txt\"");

        MinutesProcess.Finished run = MinutesProcess.startInJvm(work, List.of("-Xmx96m"), "run", "in", "--out", "out",
                "--db", "m.db", "--transcriber", "command", "--transcriber-command", tooLong + " {input} {output}").await(180);

        assertThat(run.exitCode()).as(run.stderr()).isEqualTo(1);
        assertThat(run.stderr()).contains("minutes: the JVM ran out of memory (heap ", " MiB): raise it with MINUTES_JAVA_OPTS=-Xmx",
                "or lower --concurrency; run the same command again to resume");
        assertThat(run.stderr()).as("no stack trace on the terminal")
                .doesNotContain("\tat ", "Exception in thread", "java.lang.OutOfMemoryError");

        // what the failed attempt left: the meeting back in the queue, so the same command resumes it
        Path fine = script("fine-transcriber", "echo 'Alice: I will send the budget report by Friday.' > \"$2.txt\"");
        MinutesProcess.Finished rerun = MinutesProcess.startInJvm(work, List.of("-Xmx96m"), "run", "in", "--out", "out",
                "--db", "m.db", "--transcriber", "command", "--transcriber-command", fine + " {input} {output}").await(180);

        assertThat(rerun.exitCode()).as(rerun.stderr()).isZero();
        assertThat(rerun.stdout() + rerun.stderr()).contains("Resuming batch");
        assertThat(Files.readString(work.resolve("out/standup.json"))).contains("budget report");
    }

    /** A server whose engine is dead is not one that takes batches no one runs: it exits 1 for its supervisor. */
    @Test
    void aServeWhosePipelineRunsOutOfMemoryExitsOneWithOneClearLineAndItsMeetingGoesBackToTheQueue() throws Exception {
        Path in = Files.createDirectories(work.resolve("in"));
        writeSilentWav(in.resolve("standup.wav"));
        Path tooLong = script("too-long-transcriber", "truncate -s 1G \"$2.txt\"");
        MinutesProcess serve = MinutesProcess.startInJvm(work, List.of("-Xmx96m"), "serve", "--port", "0", "--db", "m.db",
                "--transcriber", "command", "--transcriber-command", tooLong + " {input} {output}");
        try {
            String url = await().atMost(Duration.ofSeconds(60)).until(() -> {
                if (!serve.process().isAlive()) throw new AssertionError("serve stopped: " + serve.stderrText());
                Matcher m = SERVING.matcher(serve.stdoutText());
                return m.find() ? m.group(1) : null;
            }, found -> found != null);

            MinutesProcess.Finished submitted = MinutesProcess.run(work, "submit", "--server", url, "in");
            assertThat(submitted.exitCode()).as(submitted.stderr()).isZero();

            MinutesProcess.Finished stopped = serve.await(120);
            assertThat(stopped.exitCode()).as(stopped.stderr()).isEqualTo(1);
            assertThat(stopped.stderr()).contains("the JVM ran out of memory (heap ", "MINUTES_JAVA_OPTS=-Xmx", "start it again")
                    .doesNotContain("\tat ", "Exception in thread", "java.lang.OutOfMemoryError");
        } finally {
            serve.process().destroyForcibly();
        }
        try (MeetingStore store = SqliteMeetingStore.open(work.resolve("m.db"), new InProcessStoreEvents())) {
            assertThat(store.leaseOwners()).as("no meeting left running under a lease").isEmpty();
        }
    }

    private Path script(String name, String line) throws IOException {
        Path script = work.resolve(name);
        Files.writeString(script, "#!/bin/sh\n" + line + "\n");
        assertThat(script.toFile().setExecutable(true)).isTrue();
        return script;
    }

    /** One second of silence, 16 kHz mono 16-bit PCM. */
    private static void writeSilentWav(Path file) throws IOException {
        int samples = 16_000;
        ByteBuffer wav = ByteBuffer.allocate(44 + samples * 2).order(ByteOrder.LITTLE_ENDIAN);
        wav.put("RIFF".getBytes()).putInt(36 + samples * 2).put("WAVE".getBytes())
                .put("fmt ".getBytes()).putInt(16).putShort((short) 1).putShort((short) 1).putInt(16_000).putInt(32_000)
                .putShort((short) 2).putShort((short) 16)
                .put("data".getBytes()).putInt(samples * 2);
        Files.write(file, wav.array());
    }
}
