package io.minutes.app;

import io.minutes.app.cli.ExitStatus;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/** What a new user reads when something is wrong or when asking for help: messages, never stack traces. */
class CliMessagesTest {
    private static final Pattern STACK_TRACE = Pattern.compile("(?m)^\\s+at [a-z]|Exception:");

    @TempDir
    Path work;

    record Said(int exitCode, String out, String err) {
    }

    /** The command line in this JVM, for what picocli says before any command runs. */
    private static Said inProcess(String... args) {
        StringWriter out = new StringWriter();
        StringWriter err = new StringWriter();
        CommandLine cli = Main.commandLine();
        cli.setOut(new PrintWriter(out, true));
        cli.setErr(new PrintWriter(err, true));
        int code = cli.execute(args);
        return new Said(code, out.toString(), err.toString());
    }

    @Test
    void workerAndEstimateHelpListOnlyTheirOwnOptions() {
        for (String command : new String[]{"worker", "estimate"}) {
            String help = inProcess(command, "--help").out();
            assertThat(help).as(command).contains("--provider", "--db", "--concurrency")
                    .doesNotContain("--host", "--port", "--insecure", "--server", "--process-timeout", "--max-upload-bytes");
        }
        assertThat(inProcess("serve", "--help").out()).contains("--host", "--port", "--insecure", "--max-upload-bytes");
    }

    @Test
    void helpTextIsNeverBrokenInsideAPathOrAHostNameAndAnEmptyDefaultSaysNotSet() {
        String help = inProcess("run", "--help").out();

        assertThat(help).contains("Default: ./minutes-data/minutes.db.", "api.anthropic.com", "Default: not set.")
                .doesNotContainPattern("Default: \\.(\\s|$)");
        assertThat(help.lines()).allSatisfy(line -> assertThat(line.length()).as(line).isLessThanOrEqualTo(110));
    }

    @Test
    void aMisspelledOptionSuggestsTheOneMeant() {
        Said said = inProcess("run", "in", "--concurency", "3");

        assertThat(said.exitCode()).isEqualTo(ExitStatus.USAGE);
        assertThat(said.err()).contains("--concurency", "did you mean --concurrency?");
    }

    @Test
    void aMisspelledMinutesEnvironmentVariableIsWarnedAboutNotIgnoredInSilence() throws Exception {
        MinutesProcess.Finished config = MinutesProcess.run(work, Map.of("MINUTES_CONCURENCY", "3", "MINUTES_API_KEY", "k"), "config");

        assertThat(config.exitCode()).as(config.stderr()).isZero();
        assertThat(config.stderr()).contains("MINUTES_CONCURENCY is not a setting", "did you mean MINUTES_CONCURRENCY?")
                .doesNotContain("MINUTES_API_KEY");
    }

    @Test
    void anOutFolderThatCannotBeWrittenIsRefusedBeforeAnythingIsStored() throws Exception {
        Files.createDirectories(work.resolve("in"));
        Files.writeString(work.resolve("in/standup.txt"), TestTranscripts.text(1));
        Files.writeString(work.resolve("f"), "a file, not a folder");

        MinutesProcess.Finished intoProc = MinutesProcess.run(work, "run", "in", "--out", "/proc/nope", "--db", "m.db");
        MinutesProcess.Finished intoFile = MinutesProcess.run(work, "run", "in", "--out", "f", "--db", "m.db");

        assertThat(intoProc.exitCode()).isEqualTo(ExitStatus.USAGE);
        assertThat(intoProc.stderr()).contains("cannot write into /proc/nope", "--out").doesNotContainPattern(STACK_TRACE);
        assertThat(intoFile.exitCode()).isEqualTo(ExitStatus.USAGE);
        assertThat(intoFile.stderr()).contains("f is a file, not a folder", "--out").doesNotContainPattern(STACK_TRACE);
        assertThat(work.resolve("m.db")).as("nothing stored").doesNotExist();
    }

    @Test
    void retryDelaysThatDisagreeAreRefusedNamingBothBeforeAnythingIsStored() throws Exception {
        Files.writeString(work.resolve("a.vtt"), "WEBVTT\n\n00:00:01.000 --> 00:00:05.000\n<v Ann>" + TestTranscripts.text(1) + "\n");

        MinutesProcess.Finished run = MinutesProcess.run(work, "run", "a.vtt", "--db", "m.db",
                "--retry-base-delay", "5s", "--retry-max-delay", "1s");

        assertThat(run.exitCode()).isEqualTo(ExitStatus.USAGE);
        assertThat(run.stderr()).contains("'retry-max-delay' 1s (--retry-max-delay)", "'retry-base-delay' 5s (--retry-base-delay)")
                .doesNotContainPattern(STACK_TRACE);
        assertThat(work.resolve("m.db")).as("nothing stored").doesNotExist();
    }

    @Test
    void transcriptOutThatCannotBeWrittenExitsOneWithAMessage() throws Exception {
        Files.writeString(work.resolve("a.vtt"), "WEBVTT\n\n00:00:01.000 --> 00:00:05.000\n<v Ann>Hello there.\n");

        MinutesProcess.Finished converted = MinutesProcess.run(work, "transcript", "a.vtt", "--to", "srt", "--out", "/proc/x.vtt");

        assertThat(converted.exitCode()).isEqualTo(ExitStatus.FAILED_MEETINGS);
        assertThat(converted.stderr()).contains("cannot write /proc/x.vtt").doesNotContainPattern(STACK_TRACE);
    }

    @Test
    void serveOnAPortInUseSaysSoAndSuggestsPortAndAStoppedServeSaysItStopped() throws Exception {
        MinutesProcess first = MinutesProcess.start(work, "serve", "--port", "0", "--db", "m.db");
        try {
            String port = await().atMost(Duration.ofSeconds(60)).until(() -> {
                if (!first.process().isAlive()) throw new AssertionError("serve stopped: " + first.stderrText());
                Matcher m = Pattern.compile("serving on http://127.0.0.1:(\\d+) ").matcher(first.stdoutText());
                return m.find() ? m.group(1) : null;
            }, p -> p != null);

            MinutesProcess.Finished second = MinutesProcess.run(work, "serve", "--port", port, "--db", "other.db");

            assertThat(second.exitCode()).isEqualTo(ExitStatus.USAGE);
            assertThat(second.stderr()).contains("127.0.0.1:" + port, "in use", "--port").doesNotContainPattern(STACK_TRACE);
            first.process().destroy(); // SIGTERM
            MinutesProcess.Finished stopped = first.await(60);
            assertThat(stopped.stdout()).contains("Minutes stopped serving on port " + port);
        } finally {
            first.process().destroyForcibly();
        }
    }
}
