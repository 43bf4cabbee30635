package io.minutes.app.cli;

import com.fasterxml.jackson.databind.JsonNode;
import io.minutes.app.config.Config;
import io.minutes.app.config.Setting;
import io.minutes.app.config.Settings;
import io.minutes.app.output.Json;
import io.minutes.core.domain.BatchCounts;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

import java.io.IOException;
import java.io.PrintStream;
import java.util.List;

/** {@code minutes status --server URL ID}: a batch's state on a running {@code minutes serve}. */
@Command(name = "status", mixinStandardHelpOptions = true, sortOptions = false,
        description = {"Show a batch of a Minutes service: counts, tokens, cost, ETA and each meeting in input order.",
                "The API key, if the service needs one, is read from the environment variable MINUTES_API_KEY.",
                "Exit status: 0 found (with --wait: all completed or skipped), 1 with --wait: some failed, "
                        + "2 usage or service error (e.g. no such batch)."})
public final class StatusCommand implements java.util.concurrent.Callable<Integer> {
    public static final List<Setting<?>> SETTINGS = List.of(Settings.CONFIG, Settings.SERVER);

    @Spec
    CommandSpec spec;

    @Parameters(index = "0", paramLabel = "ID", description = "The batch id that submit printed.")
    String batchId;

    @Option(names = "--json", description = "Print the service's JSON as it is.")
    boolean json;

    @Option(names = "--wait", description = {"Show progress until the batch finishes (same bar as run), then print it.",
            "Follows the batch's live events, or polls it every second where they do not get through (a proxy)."})
    boolean await;

    @Override
    public Integer call() throws IOException, InterruptedException {
        PrintStream out = System.out;
        PrintStream err = System.err;
        Config config = SettingOptions.resolveOrExplain(spec, SETTINGS).orElse(null);
        if (config == null) return ExitStatus.USAGE;
        ServiceClient client = new ServiceClient(config.get(Settings.SERVER), System.getenv("MINUTES_API_KEY"));
        try {
            JsonNode batch = await ? awaitFinished(client, batchId, err) : client.batch(batchId);
            if (json) {
                out.println(Json.MAPPER.writerWithDefaultPrettyPrinter().writeValueAsString(batch));
            } else {
                printSummary(out, batch);
                for (JsonNode r : batch.path("results")) {
                    out.printf("  %4d  %-10s %s%s%n", r.path("index").asInt() + 1, r.path("status").asText(), r.path("title").asText(),
                            r.path("error").isTextual() ? "  (" + r.path("error").asText() + ")" : "");
                }
            }
            return await ? exitStatus(batch) : ExitStatus.OK;
        } catch (ServiceClient.ApiError e) {
            err.println("minutes: " + e.getMessage());
            return ExitStatus.USAGE;
        } catch (java.net.ConnectException e) {
            err.println("minutes: cannot reach " + config.get(Settings.SERVER) + ": is 'minutes serve' running there? (" + e + ")");
            return ExitStatus.USAGE;
        }
    }

    /** Shows the batch's progress on {@code progressOut} (the bar of run) until it is finished. @return the finished batch */
    static JsonNode awaitFinished(ServiceClient client, String batchId, PrintStream progressOut)
            throws IOException, InterruptedException, ServiceClient.ApiError {
        JsonNode batch = client.batch(batchId);
        BatchCounts initial = ServiceClient.counts(batch);
        ProgressView progress = new ProgressView(progressOut, Terminal.stdoutIsTerminal(), batchId, initial);
        if (initial.isFinished()) {
            progress.finish(initial);
            return batch;
        }
        BatchCounts done = client.follow(batchId, progress::publish, note -> progress.message("minutes: " + note));
        progress.finish(done);
        return client.batch(batchId);
    }

    /** The exit status of a finished batch: as run's, 1 when any meeting failed. */
    static int exitStatus(JsonNode finished) {
        return finished.path("failed").asInt() > 0 ? ExitStatus.FAILED_MEETINGS : ExitStatus.OK;
    }

    static void printSummary(PrintStream out, JsonNode b) {
        out.printf("Batch %s %s: %d completed, %d failed, %d skipped, %d cancelled, %d queued, %d processing of %d; "
                        + "%d tokens, $%.4f%s%n",
                b.path("batch_id").asText(), b.path("status").asText(), b.path("completed").asInt(), b.path("failed").asInt(),
                b.path("skipped").asInt(), b.path("cancelled").asInt(), b.path("queued").asInt(), b.path("processing").asInt(),
                b.path("total").asInt(), b.path("tokens").path("total").asLong(), b.path("cost_usd").asDouble(),
                b.path("eta_seconds").isNumber() && b.path("eta_seconds").asLong() > 0 ? ", about " + b.path("eta_seconds").asLong() + " s left" : "");
    }
}
