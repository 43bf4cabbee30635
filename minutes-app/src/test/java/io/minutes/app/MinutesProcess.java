package io.minutes.app;

import org.awaitility.Awaitility;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** Runs {@code minutes} as a separate JVM, the way a user's shell does, on this build's classpath. */
public final class MinutesProcess {
    private static final Pattern SERVING = Pattern.compile("serving on (http://\\S+) ");
    private final Process process;
    private final Path stdout;
    private final Path stderr;

    public record Finished(int exitCode, String stdout, String stderr) {
    }

    private MinutesProcess(Process process, Path stdout, Path stderr) {
        this.process = process;
        this.stdout = stdout;
        this.stderr = stderr;
    }

    public static MinutesProcess start(Path workDir, String... args) throws IOException {
        return start(workDir, Map.of(), args);
    }

    /** With {@code env} as the only API keys in its environment. */
    public static MinutesProcess start(Path workDir, Map<String, String> env, String... args) throws IOException {
        return start(workDir, env, List.of(), args);
    }

    /**
     * Started so that Ctrl-C (SIGINT) reaches it however this build was started: a shell starts background
     * jobs ({@code cmd &}, nohup) with SIGINT ignored, a child inherits that, and the JVM then never sees it.
     * GNU env (coreutils 8.31+) restores the default first; without it, where SIGINT is ignored, the test is
     * skipped saying why.
     */
    public static MinutesProcess startInterruptible(Path workDir, String... args) throws IOException {
        if (envResetsSignals()) return start(workDir, Map.of(), List.of("env", "--default-signal=INT"), args);
        org.junit.jupiter.api.Assumptions.assumeFalse(sigintIgnored(),
                "this build runs with SIGINT ignored (started in the background) and env --default-signal is missing,"
                        + " so a child could not be interrupted with Ctrl-C");
        return start(workDir, args);
    }

    private static boolean envResetsSignals() {
        try {
            Process probe = new ProcessBuilder("env", "--default-signal=INT", "true")
                    .redirectErrorStream(true).redirectOutput(ProcessBuilder.Redirect.DISCARD).start();
            return probe.waitFor(10, TimeUnit.SECONDS) && probe.exitValue() == 0;
        } catch (IOException e) {
            return false;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return false;
        }
    }

    /** Whether this process ignores SIGINT (bit 2 of SigIgn in /proc/self/status), as its children will. */
    private static boolean sigintIgnored() {
        try {
            for (String line : Files.readAllLines(Path.of("/proc/self/status"))) {
                if (line.startsWith("SigIgn:")) return (Long.parseUnsignedLong(line.substring(7).strip(), 16) & 2) != 0;
            }
        } catch (IOException | NumberFormatException e) {
            return false;
        }
        return false;
    }

    /** With JVM options, e.g. a small {@code -Xmx}, as a user gives them through MINUTES_JAVA_OPTS. */
    public static MinutesProcess startInJvm(Path workDir, List<String> jvmOptions, String... args) throws IOException {
        return start(workDir, Map.of(), List.of(), jvmOptions, args);
    }

    private static MinutesProcess start(Path workDir, Map<String, String> env, List<String> prefix, String... args) throws IOException {
        return start(workDir, env, prefix, List.of(), args);
    }

    private static MinutesProcess start(Path workDir, Map<String, String> env, List<String> prefix, List<String> jvmOptions,
                                        String... args) throws IOException {
        List<String> command = new ArrayList<>(prefix);
        command.add(ProcessHandle.current().info().command().orElse("java"));
        command.addAll(jvmOptions);
        command.addAll(List.of(
                "--enable-native-access=ALL-UNNAMED",
                "-cp", System.getProperty("java.class.path"),
                Main.class.getName()));
        command.addAll(List.of(args));
        Path out = Files.createTempFile(workDir, "stdout", ".txt");
        Path err = Files.createTempFile(workDir, "stderr", ".txt");
        ProcessBuilder builder = new ProcessBuilder(command).directory(workDir.toFile())
                .redirectOutput(out.toFile()).redirectError(err.toFile());
        builder.environment().keySet().removeIf(k -> k.startsWith("MINUTES_") || k.endsWith("_API_KEY"));
        builder.environment().putAll(env);
        return new MinutesProcess(builder.start(), out, err);
    }

    public static Finished run(Path workDir, String... args) throws IOException, InterruptedException {
        return start(workDir, args).await(120);
    }

    public static Finished run(Path workDir, Map<String, String> env, String... args) throws IOException, InterruptedException {
        return start(workDir, env, args).await(120);
    }

    public Process process() {
        return process;
    }

    public Finished await(int seconds) throws IOException, InterruptedException {
        if (!process.waitFor(seconds, TimeUnit.SECONDS)) {
            process.destroyForcibly();
            throw new AssertionError("minutes did not finish within " + seconds + " s; stderr: " + stderrText());
        }
        return new Finished(process.exitValue(), Files.readString(stdout, StandardCharsets.UTF_8), stderrText());
    }

    /** What it printed so far, while it runs. */
    public String stdoutText() throws IOException {
        return Files.readString(stdout, StandardCharsets.UTF_8);
    }

    public String stderrText() throws IOException {
        return Files.readString(stderr, StandardCharsets.UTF_8);
    }

    /** The URL a {@code minutes serve} says it serves on, once it does; fails if it stops first. */
    public String awaitServing() {
        return Awaitility.await().atMost(Duration.ofSeconds(60)).until(() -> {
            if (!process.isAlive()) throw new AssertionError("serve stopped: " + stderrText());
            Matcher m = SERVING.matcher(stdoutText());
            return m.find() ? m.group(1) : null;
        }, Objects::nonNull);
    }
}
