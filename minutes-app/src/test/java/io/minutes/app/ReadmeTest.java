package io.minutes.app;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.minutes.app.config.Setting;
import io.minutes.app.config.Settings;
import io.minutes.core.testing.OutsidePrograms;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/** The README stays true: its configuration table, every command it shows, and its HTTP examples as pasted. */
class ReadmeTest {
    private static final Path ROOT = Path.of(System.getProperty("minutes.root"));
    private static final ObjectMapper JSON = new ObjectMapper();

    @TempDir
    Path work;

    @Test
    void everySettingIsDocumentedWithItsEnvironmentVariableAndDefault() throws Exception {
        String readme = Files.readString(ROOT.resolve("README.md"));
        for (Setting<?> s : Settings.ALL) {
            assertThat(readme).as("README row for %s", s.key())
                    .contains("| `" + s.key() + "` | `" + s.envVar() + "` | `" + s.defaultText() + "` |");
        }
    }

    /** Every {@code minutes} command line of the README's examples names a command and options that exist. */
    @Test
    void everyMinutesCommandOfTheReadmeParses() throws Exception {
        List<List<String>> commands = minutesCommands();
        assertThat(commands).contains(List.of("run", "samples"), List.of("transcript", "samples/product-sync-2026-11-16.vtt", "--to", "srt"));
        for (List<String> args : commands) {
            try {
                Main.commandLine().parseArgs(args.toArray(String[]::new));
            } catch (CommandLine.ParameterException e) {
                throw new AssertionError("README: minutes " + String.join(" ", args) + ": " + e.getMessage(), e);
            }
        }
    }

    /**
     * Every example is pasteable in a fresh clone: it calls {@code ./minutes} (there is no {@code minutes} on the PATH),
     * and the files and folders it reads are in the repository or made by a line of the README before it.
     */
    @Test
    void everyMinutesExampleRunsFromAFreshClone() throws Exception {
        List<String> made = new ArrayList<>();
        for (String line : shellLines()) {
            Matcher creates = Pattern.compile("(?:mkdir -p|cat >) (\\S+)").matcher(line);
            while (creates.find()) made.add(creates.group(1).replaceAll("/$", ""));
            List<String> words = words(line);
            while (!words.isEmpty() && words.getFirst().matches("[A-Z_]+=.*")) words.removeFirst();
            if (words.isEmpty()) continue;
            assertThat(words.getFirst()).as("README: %s", line).isNotEqualTo("minutes");
            if (!words.getFirst().equals("./minutes") || words.size() < 2 || words.get(1).equals("status")) continue;
            CommandLine.ParseResult parsed = Main.commandLine().parseArgs(words.subList(1, words.size()).toArray(String[]::new));
            for (String input : parsed.subcommand().matchedPositionals().stream()
                    .flatMap(p -> p.stringValues().stream()).distinct().toList()) {
                String path = input.replaceAll("/$", "");
                assertThat(Files.exists(ROOT.resolve(path)) || made.contains(path))
                        .as("README: %s reads %s, which a fresh clone does not have", line, input).isTrue();
            }
        }
    }

    /**
     * The README's serve example, then its curl examples and its submit/status examples, pasted as they are
     * (the port and the batch id put in), against that real service.
     */
    @Test
    void theServeExamplesWorkAsPasted() throws Exception {
        OutsidePrograms.assumeInstalled("curl");
        copyFolder(ROOT.resolve("samples"), work.resolve("samples"));
        List<String> serveLine = minutesCommands().stream().filter(a -> a.getFirst().equals("serve")).findFirst().orElseThrow();
        List<String> serveArgs = new ArrayList<>(serveLine);
        serveArgs.addAll(List.of("--port", "0", "--db", "m.db"));
        MinutesProcess serve = MinutesProcess.start(work, serveArgs.toArray(String[]::new));
        try {
            String port = await().atMost(Duration.ofSeconds(60)).until(() -> {
                if (!serve.process().isAlive()) throw new AssertionError("serve stopped: " + serve.stderrText());
                Matcher m = Pattern.compile("serving on http://127\\.0\\.0\\.1:(\\d+) ").matcher(serve.stdoutText());
                return m.find() ? m.group(1) : null;
            }, p -> p != null);

            String firstBatch = null;
            for (String curl : shellLines().stream().filter(l -> l.startsWith("curl ")).toList()) {
                String line = curl.replace("localhost:8080", "127.0.0.1:" + port);
                if (line.contains("batch_01...")) line = line.replace("batch_01...", firstBatch);
                String out = sh(line + " --fail-with-body --max-time 60");
                if (firstBatch == null) {
                    firstBatch = JSON.readTree(out).path("batch_id").asText();
                    String id = firstBatch;
                    JsonNode done = await().atMost(Duration.ofSeconds(60)).until(
                            () -> JSON.readTree(sh("curl -s 127.0.0.1:" + port + "/api/v1/meetings/batch/" + id)),
                            b -> b.path("queued").asInt() + b.path("processing").asInt() == 0);
                    assertThat(done.path("completed").asInt()).as("the first example makes minutes: %s", done).isEqualTo(1);
                }
            }
            assertThat(work.resolve("minutes.zip")).as("the results example saved the minutes").isNotEmptyFile();

            String url = "http://127.0.0.1:" + port;
            String batchId = firstBatch;
            for (List<String> args : minutesCommands()) {
                if (!List.of("submit", "status").contains(args.getFirst()) || !args.contains("http://127.0.0.1:8080")) continue;
                String[] pasted = args.stream().map(a -> a.replace("http://127.0.0.1:8080", url).replace("batch_01...", batchId))
                        .toArray(String[]::new);
                MinutesProcess.Finished ran = MinutesProcess.run(work, pasted);
                assertThat(ran.exitCode()).as("minutes %s\n%s", String.join(" ", pasted), ran.stderr()).isZero();
            }
        } finally {
            serve.process().destroyForcibly();
        }
    }

    private String sh(String line) throws IOException, InterruptedException {
        Path out = Files.createTempFile(work, "curl", ".out");
        Path err = Files.createTempFile(work, "curl", ".err");
        Process p = new ProcessBuilder("bash", "-c", line).directory(work.toFile())
                .redirectOutput(out.toFile()).redirectError(err.toFile()).start();
        if (!p.waitFor(90, TimeUnit.SECONDS)) {
            p.destroyForcibly();
            throw new AssertionError("did not finish: " + line);
        }
        String stdout = Files.readString(out, StandardCharsets.UTF_8);
        assertThat(p.exitValue()).as("%s\n%s%s", line, stdout, Files.readString(err)).isZero();
        return stdout;
    }

    private static void copyFolder(Path from, Path to) throws IOException {
        Files.createDirectories(to);
        try (Stream<Path> files = Files.list(from)) {
            for (Path f : files.toList()) Files.copy(f, to.resolve(f.getFileName()));
        }
    }

    /** The README's code blocks, line by line, backslash continuations joined and comments dropped. */
    static List<String> shellLines() throws IOException {
        List<String> lines = new ArrayList<>();
        boolean inBlock = false;
        StringBuilder pending = new StringBuilder();
        for (String raw : Files.readAllLines(ROOT.resolve("README.md"))) {
            if (raw.startsWith("```")) {
                inBlock = !inBlock;
                continue;
            }
            if (!inBlock) continue;
            String line = raw.strip();
            if (line.endsWith("\\")) {
                pending.append(line, 0, line.length() - 1).append(' ');
                continue;
            }
            pending.append(line);
            String joined = withoutComment(pending.toString()).strip();
            pending.setLength(0);
            if (!joined.isEmpty()) lines.add(joined);
        }
        return lines;
    }

    /** The arguments of every {@code minutes} / {@code ./minutes} line, after any VAR=value prefixes. */
    static List<List<String>> minutesCommands() throws IOException {
        List<List<String>> commands = new ArrayList<>();
        for (String line : shellLines()) {
            List<String> words = words(line);
            while (!words.isEmpty() && words.getFirst().matches("[A-Z_]+=.*")) words.removeFirst();
            if (words.size() >= 2 && (words.getFirst().equals("minutes") || words.getFirst().equals("./minutes"))) {
                commands.add(new ArrayList<>(words.subList(1, words.size())));
            }
        }
        return commands;
    }

    private static String withoutComment(String line) {
        char quote = 0;
        for (int i = 0; i < line.length(); i++) {
            char c = line.charAt(i);
            if (quote != 0) {
                if (c == quote) quote = 0;
            } else if (c == '\'' || c == '"') {
                quote = c;
            } else if (c == '#' && (i == 0 || Character.isWhitespace(line.charAt(i - 1)))) {
                return line.substring(0, i);
            }
        }
        return line;
    }

    /** Split as a shell would for these lines: spaces, and single and double quotes. */
    private static List<String> words(String line) {
        List<String> words = new ArrayList<>();
        StringBuilder word = new StringBuilder();
        char quote = 0;
        boolean any = false;
        for (char c : line.toCharArray()) {
            if (quote != 0) {
                if (c == quote) quote = 0;
                else word.append(c);
            } else if (c == '\'' || c == '"') {
                quote = c;
                any = true;
            } else if (Character.isWhitespace(c)) {
                if (any || !word.isEmpty()) words.add(word.toString());
                word.setLength(0);
                any = false;
            } else {
                word.append(c);
            }
        }
        if (any || !word.isEmpty()) words.add(word.toString());
        return words;
    }
}
