package io.minutes.app.cli;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.minutes.app.config.Config;
import io.minutes.app.config.Setting;
import io.minutes.app.config.Settings;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.Path;
import java.util.List;

/** {@code minutes submit --server URL PATH...}: uploads files to a running {@code minutes serve}. */
@Command(name = "submit", mixinStandardHelpOptions = true, sortOptions = false,
        description = {"Upload transcripts and recordings (files, folders, ZIPs) to a Minutes service as one batch and print its id.",
                "The API key, if the service needs one, is read from the environment variable MINUTES_API_KEY.",
                "Exit status: 0 submitted (with --wait: all completed or skipped), 1 some failed, 2 usage or service error."})
public final class SubmitCommand implements java.util.concurrent.Callable<Integer> {
    public static final List<Setting<?>> SETTINGS = List.of(Settings.CONFIG, Settings.SERVER);

    @Spec
    CommandSpec spec;

    @Parameters(arity = "1..*", paramLabel = "PATH", description = "Transcript files (.vtt .srt .txt .md .json .docx), ZIP archives of them, recordings (.mp3 .wav .m4a .ogg .opus .flac .webm .mp4 .mov .mkv; the service transcribes them) and folders.")
    List<Path> paths;

    @Option(names = "--wait", description = {"Show progress until the batch finishes (same bar as run), then its summary.",
            "Follows the batch's live events, or polls it every second where they do not get through (a proxy)."})
    boolean await;

    @Option(names = "--tier", paramLabel = "TIER", description = "ordinary (default) or sensitive, for every file.")
    String tier;

    @Option(names = "--on-duplicate", paramLabel = "MODE", description = "skip (default), replace or allow_duplicates.")
    String onDuplicate;

    @Option(names = "--priority", paramLabel = "PRIORITY", description = "high, normal (default) or low: the batch's share of the service.")
    String priority;

    @Option(names = "--lane", paramLabel = "LANE", description = {"realtime (default), flex (OpenAI's flex tier, for the models",
            "that take it: half the price, slower), batch (the provider's batch API, at about half the price, answered",
            "within its 24 h window) or auto (the cheapest lane that meets --deadline)."})
    String lane;

    @Option(names = "--deadline", paramLabel = "DURATION|TIMESTAMP", description = {"When the batch must be done by: a duration",
            "(8h) or an ISO-8601 instant with its offset (2026-12-05T08:00:00Z)."})
    String deadline;

    @Option(names = "--max-attempts", paramLabel = "N", description = "Attempts per meeting in all (default: the service's max-attempts).")
    Integer maxAttempts;

    @Option(names = "--budget", paramLabel = "USD", description = {"The batch's spending limit: refused up front when its estimate passes it,",
            "and meetings are skipped (budget_exhausted) once spent + reserved would."})
    Double budgetUsd;

    @Option(names = "--allow-over-budget", description = "Start the batch even when its estimate passes --budget.")
    boolean allowOverBudget;

    @Override
    public Integer call() throws IOException, InterruptedException {
        PrintStream out = System.out;
        PrintStream err = System.err;
        Config config = SettingOptions.resolveOrExplain(spec, SETTINGS).orElse(null);
        if (config == null) return ExitStatus.USAGE;
        Inputs.Collected inputs;
        try {
            inputs = Inputs.collect(paths);
        } catch (IllegalArgumentException e) {
            err.println("minutes: " + e.getMessage());
            return ExitStatus.USAGE;
        }
        if (inputs.files().isEmpty()) {
            err.println("minutes: no transcripts found in " + paths);
            return ExitStatus.USAGE;
        }
        ServiceClient client = new ServiceClient(config.get(Settings.SERVER), System.getenv("MINUTES_API_KEY"));
        try {
            JsonNode accepted = client.upload(inputs.files(), tier, onDuplicate, options());
            String batchId = accepted.path("batch_id").asText();
            out.println(batchId);
            out.flush();
            if (!await) return ExitStatus.OK;
            JsonNode batch = StatusCommand.awaitFinished(client, batchId, err);
            StatusCommand.printSummary(out, batch);
            return StatusCommand.exitStatus(batch);
        } catch (ServiceClient.ApiError e) {
            err.println("minutes: the service refused: " + e.getMessage());
            return ExitStatus.USAGE;
        } catch (java.net.ConnectException e) {
            err.println("minutes: cannot reach " + config.get(Settings.SERVER) + ": is 'minutes serve' running there? (" + e + ")");
            return ExitStatus.USAGE;
        }
    }

    /** The API's options for what was given; the service checks the values and names any it refuses. */
    private ObjectNode options() {
        ObjectNode options = JsonNodeFactory.instance.objectNode();
        if (priority != null) options.put("priority", priority);
        if (maxAttempts != null) options.put("max_attempts", maxAttempts);
        if (lane != null) options.put("lane", lane);
        if (deadline != null) options.put("deadline", deadline);
        if (budgetUsd != null) options.put("budget_usd", budgetUsd);
        if (allowOverBudget) options.put("allow_over_budget", true);
        return options;
    }
}
