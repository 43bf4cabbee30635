package io.minutes.app.cli;

import io.minutes.app.Main;
import io.minutes.app.Wiring;
import io.minutes.app.config.Config;
import io.minutes.app.config.ConfigException;
import io.minutes.app.config.Setting;
import io.minutes.app.config.Settings;
import io.minutes.core.engine.RateLimits;
import io.minutes.core.port.Analyzer;
import io.minutes.core.port.BlobStore;
import io.minutes.core.port.MeetingStore.NewMeeting;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Locale;
import java.util.concurrent.Callable;

/**
 * {@code minutes estimate PATH...}: what running these transcripts would take, without calling the
 * provider: the tokens the provider's tokenizer counts, the output reserved, the most it can cost,
 * and the shortest time the configured limits allow.
 */
@Command(name = "estimate", mixinStandardHelpOptions = true, sortOptions = false,
        description = {
                "Estimate tokens, cost and time for the transcripts under PATH... with the configured provider and "
                        + "limits (--rpm, --tpm, --input-tpm, --output-tpm), without calling the provider.",
                "The time is the shortest the limits allow; with no limit configured it is not known."})
public final class EstimateCommand implements Callable<Integer> {
    public static final List<Setting<?>> SETTINGS = Settings.ALL;

    @Spec
    CommandSpec spec;

    @Parameters(arity = "1..*", paramLabel = "PATH", description = "Transcript files (.vtt .srt .txt .md .json .docx .zip) and folders.")
    List<Path> paths;

    /**
     * Totals over the transcripts that would be sent. {@code recordings} have no transcript before
     * they are transcribed, so their tokens are not known; {@code notSent} are skipped or unreadable.
     */
    public record Estimate(int meetings, int recordings, int notSent, long inputTokens, long maxOutputTokens,
                           double maxCostUsd, Double seconds) {
    }

    /** Estimating stores nothing: a recording's bytes are read and dropped. */
    private static final BlobStore RECORDINGS_NOT_KEPT = new BlobStore() {
        @Override
        public String put(InputStream in) throws IOException {
            in.transferTo(OutputStream.nullOutputStream());
            return "not-kept";
        }

        @Override
        public Optional<InputStream> open(String key) {
            return Optional.empty();
        }

        @Override
        public Optional<Long> size(String key) {
            return Optional.empty();
        }

        @Override
        public void delete(String key) {
        }
    };

    @Override
    public Integer call() {
        PrintWriter out = spec.commandLine().getOut();
        PrintWriter err = spec.commandLine().getErr();
        Config config = SettingOptions.resolveOrExplain(spec, SETTINGS).orElse(null);
        if (config == null) return Main.EXIT_USAGE;
        Wiring.configureLogging(config);
        Inputs.Collected inputs;
        try {
            inputs = Inputs.collect(paths);
        } catch (IllegalArgumentException e) {
            err.println("minutes: " + e.getMessage());
            return Main.EXIT_USAGE;
        }
        if (inputs.files().isEmpty()) {
            err.println("minutes: no transcripts found in " + paths + "; name .vtt, .srt, .txt, .md, .json, .docx or .zip files or folders holding them");
            return Main.EXIT_USAGE;
        }
        // estimating calls no provider, so no API key is needed: a placeholder stands in when none is set
        Map<String, String> env = new HashMap<>(System.getenv());
        env.putIfAbsent(Wiring.apiKeyEnv(config), "not-needed-to-estimate");
        Analyzer analyzer;
        try {
            analyzer = Wiring.analyzer(config, env);
        } catch (ConfigException e) {
            ConfigErrors.print(err, e);
            return Main.EXIT_USAGE;
        }
        String provider = config.get(Settings.PROVIDER);
        PreparedBatch prepared = PreparedBatch.of(inputs.files(), Wiring.ingestor(config), Wiring.zipLimits(config), provider,
                RECORDINGS_NOT_KEPT);
        Estimate e = estimate(prepared.meetings(), analyzer, Wiring.rateLimits(config));
        out.printf(Locale.ROOT, "provider        %s%n", provider);
        out.printf(Locale.ROOT, "meetings        %d to send, %d skipped or unreadable%n", e.meetings(), e.notSent());
        if (e.recordings() > 0) {
            out.printf(Locale.ROOT, "recordings      %d, not counted below: their transcripts are not known before transcription%n",
                    e.recordings());
        }
        out.printf(Locale.ROOT, "input tokens    %,d%n", e.inputTokens());
        out.printf(Locale.ROOT, "output tokens   %,d at most (max_tokens reserved per call)%n", e.maxOutputTokens());
        out.printf(Locale.ROOT, "cost            $%.4f at most%n", e.maxCostUsd());
        out.println(e.seconds() == null
                ? "time            not known: no limit configured (--rpm, --tpm, --input-tpm, --output-tpm)"
                : String.format(Locale.ROOT, "time            %s at least, under the configured limits (each call sent once)",
                        human(e.seconds())));
        out.flush();
        return Main.EXIT_OK;
    }

    /**
     * The time is the largest of what each limit needs: calls at the RPM, input + reserved output at
     * the TPM, input at the input TPM, reserved output at the output TPM.
     */
    public static Estimate estimate(List<NewMeeting> meetings, Analyzer analyzer, RateLimits limits) {
        int sent = 0;
        int recordings = 0;
        long in = 0;
        long out = 0;
        double cost = 0;
        for (NewMeeting m : meetings) {
            if (m.audio() != null) recordings++;
            if (m.transcript() == null) continue;
            Analyzer.Estimate e = analyzer.estimate(new Analyzer.Request(m.source(), m.title(), m.transcript()));
            sent++;
            in += e.inputTokens();
            out += e.maxOutputTokens();
            cost += e.maxCostUsd();
        }
        Double seconds = null;
        seconds = slowest(seconds, sent, limits.requestsPerMinute());
        seconds = slowest(seconds, in + out, limits.tokensPerMinute());
        seconds = slowest(seconds, in, limits.inputTokensPerMinute());
        seconds = slowest(seconds, out, limits.outputTokensPerMinute());
        return new Estimate(sent, recordings, meetings.size() - sent - recordings, in, out, cost, seconds);
    }

    private static Double slowest(Double sofar, long amount, long perMinute) {
        if (perMinute == 0) return sofar;
        double seconds = amount * 60.0 / perMinute;
        return sofar == null ? seconds : Math.max(sofar, seconds);
    }

    static String human(double seconds) {
        if (seconds < 90) return String.format(Locale.ROOT, "%.1f s", seconds);
        if (seconds < 5400) return String.format(Locale.ROOT, "%.1f min", seconds / 60);
        return String.format(Locale.ROOT, "%.1f h", seconds / 3600);
    }
}
