package io.minutes.app.cli;

import io.minutes.core.engine.InProcessStoreEvents;
import io.minutes.app.AudioWiring;
import io.minutes.app.StoreBackend;
import io.minutes.app.Wiring;
import io.minutes.app.config.Config;
import io.minutes.app.config.ConfigException;
import io.minutes.app.config.DbLocation;
import io.minutes.app.config.LaneSection;
import io.minutes.app.config.Sections;
import io.minutes.app.config.Setting;
import io.minutes.app.config.Settings;
import io.minutes.core.domain.OnDuplicate;
import io.minutes.core.domain.Submission;
import io.minutes.core.engine.Estimator;
import io.minutes.core.lane.LaneChoice;
import io.minutes.core.lane.LanePlanner;
import io.minutes.core.lane.LanePlans;
import io.minutes.core.submission.Submissions;
import io.minutes.core.ingest.PreparedBatch;
import io.minutes.core.io.TemporaryFolders;
import io.minutes.core.port.Analyzer;
import io.minutes.core.port.ResultCache;
import io.minutes.core.port.BatchStore;
import io.minutes.core.port.MeetingStore;
import io.minutes.core.port.Transcriber;
import io.minutes.store.blob.FolderBlobStore;
import io.minutes.store.sqlite.SqliteMeetingStore;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.util.Collections;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.Callable;

/**
 * {@code minutes estimate PATH...}: what running these transcripts would take, without calling the
 * provider: the tokens the provider's tokenizer counts, the output reserved, the most it can cost,
 * and the shortest time the configured limits allow. Only what would be sent counts: meetings the
 * store (db) would skip as duplicates and answers its result cache holds cost nothing.
 */
@Command(name = "estimate", mixinStandardHelpOptions = true, sortOptions = false,
        description = {
                "Estimate tokens, cost and time for the transcripts under PATH... with the configured provider and "
                        + "limits (--rpm, --tpm, --input-tpm, --output-tpm), without calling the provider.",
                "Meetings the store (--db) would skip as duplicates (--on-duplicate) and answers its result cache holds "
                        + "are not counted: they cost nothing. Recordings count what transcribing them may cost.",
                "The time is the shortest the limits allow; with no limit configured it is not known.",
                "With --lane other than realtime, or a --deadline, it quotes the lane plan: the lane of each meeting, the list "
                        + "price against the planned price, the saving, and when it would be done."})
public final class EstimateCommand implements Callable<Integer> {
    /** run's settings but where it writes: the service's (--host, --server, ...) are serve's and submit's. */
    public static final List<Setting<?>> SETTINGS = Sections.settingsOf(Sections.ESTIMATE);

    @Spec
    CommandSpec spec;

    @Option(names = "--json", description = "Print the estimate and the lane plan as JSON.")
    boolean json;

    @Parameters(arity = "1..*", paramLabel = "PATH", description = "Transcript files (.vtt .srt .txt .md .json .docx .zip), recordings and folders.")
    List<Path> paths;

    @Override
    public Integer call() throws IOException {
        PrintWriter out = spec.commandLine().getOut();
        PrintWriter err = spec.commandLine().getErr();
        Config config = SettingOptions.resolveOrExplain(spec, SETTINGS).orElse(null);
        if (config == null) return ExitStatus.USAGE;
        Wiring.configureLogging(config);
        Inputs.Collected inputs;
        try {
            inputs = Inputs.collect(paths);
        } catch (IllegalArgumentException e) {
            err.println("minutes: " + e.getMessage());
            return ExitStatus.USAGE;
        }
        if (inputs.files().isEmpty()) {
            err.println("minutes: no transcripts found in " + paths + "; name .vtt, .srt, .txt, .md, .json, .docx or .zip files or folders holding them");
            return ExitStatus.USAGE;
        }
        // estimating calls no provider, so no API key is needed: a placeholder stands in when none is set
        Map<String, String> env = new HashMap<>(System.getenv());
        for (String variable : Wiring.apiKeyVariables(config)) env.putIfAbsent(variable, "not-needed-to-estimate");
        Analyzer analyzer;
        Transcriber transcriber;
        try {
            analyzer = Wiring.analyzer(config, env);
            transcriber = AudioWiring.transcriber(config, env);
        } catch (ConfigException e) {
            ConfigErrors.print(err, e);
            return ExitStatus.USAGE;
        }
        Path temp = Files.createTempDirectory("minutes-estimate-");
        try (Comparing comparing = storeToCompare(config, temp)) {
            if (comparing == null) return ExitStatus.USAGE;
            // recordings are copied to a temporary folder to be measured, never into the store's blobs
            FolderBlobStore recordings = new FolderBlobStore(temp.resolve("recordings"));
            String provider = config.get(Settings.PROVIDER);
            PreparedBatch prepared = PreparedBatch.of(inputs.files(), Wiring.ingestor(config), Wiring.zipLimits(config), provider,
                    recordings);
            OnDuplicate onDuplicate = config.get(Settings.ON_DUPLICATE);
            MeetingStore store = comparing.store();
            BatchStore.BatchCreateParams params = new BatchStore.BatchCreateParams(prepared.runKey(), provider,
                    Clock.systemUTC().instant(), prepared.meetings(), config.get(Settings.PRIORITY), onDuplicate,
                    config.get(Settings.TIER), null, Wiring.analyzerIdentity(config),
                    new Submission(null, onDuplicate, config.get(Settings.PRIORITY).wireName(), null),
                    Collections.nCopies(prepared.meetings().size(), config.get(Settings.TIER)));
            // as run would submit it, without storing it
            Submissions submissions = new Submissions(store, store,
                    Wiring.estimator(config, comparing.results(), analyzer, transcriber, recordings), Integer.MAX_VALUE,
                    Clock.systemUTC());
            Submissions.NewBatch batch = new Submissions.NewBatch(params, Wiring.rateLimits(config), false);
            Estimator.Estimate e = submissions.estimate(batch);
            LanePlanner.Plan plan;
            try {
                plan = plan(config, submissions, batch, store);
            } catch (IllegalArgumentException bad) {
                err.println("minutes: " + bad.getMessage());
                return ExitStatus.USAGE;
            }
            if (json) {
                LaneQuote.printJson(out, e, provider, plan);
                return ExitStatus.OK;
            }
            print(out, provider, onDuplicate, e);
            if (config.get(Settings.LANE) != LaneChoice.REALTIME || config.get(Settings.DEADLINE) != null) {
                LaneQuote.print(out, plan);
                out.flush();
            }
            return ExitStatus.OK;
        } finally {
            TemporaryFolders.deleteQuietly(temp);
        }
    }

    /** The lane plan of what would be sent, as the planner would make it if the batch were submitted now. */
    private static LanePlanner.Plan plan(Config config, Submissions submissions, Submissions.NewBatch batch,
                                         io.minutes.core.port.ProviderBatchStore store) {
        Clock clock = Clock.tick(Clock.systemUTC(), java.time.Duration.ofSeconds(1));
        LanePlans plans = LaneSection.of(config).plans(clock, store);
        return plans.plan(submissions.toPlan(batch, plans.outputTokensPerCall()), config.get(Settings.LANE),
                LaneSection.of(config).deadline(clock.instant()));
    }

    private static void print(PrintWriter out, String provider, OnDuplicate onDuplicate, Estimator.Estimate e) {
        out.printf(Locale.ROOT, "provider        %s%n", provider);
        out.printf(Locale.ROOT, "meetings        %d to send, %d answered from the result cache, %d duplicate(s) skipped "
                + "(on-duplicate %s), %d skipped or unreadable%n", e.meetings(), e.cached(), e.duplicates(),
                onDuplicate.wireName(), e.notSent());
        if (e.recordings() > 0) {
            out.printf(Locale.ROOT, "recordings      %d to transcribe, %s of audio, up to $%.4f; their analysis is not counted "
                    + "below: their transcripts are not known before transcription%n", e.recordings(), human(e.audioSeconds()),
                    e.transcriptionMaxCostUsd());
        }
        out.printf(Locale.ROOT, "input tokens    %,d%n", e.inputTokens());
        out.printf(Locale.ROOT, "output tokens   %,d at most (max_tokens reserved per call)%n", e.maxOutputTokens());
        out.printf(Locale.ROOT, "cost            $%.4f at most%n", e.maxCostUsd());
        out.println(e.seconds() == null
                ? "time            not known: no limit configured (--rpm, --tpm, --input-tpm, --output-tpm)"
                : String.format(Locale.ROOT, "time            %s at least, under the configured limits (each call sent once)",
                        human(e.seconds())));
        out.flush();
    }

    /** A store to compare the inputs with and the result cache it keeps, closed after. */
    private record Comparing(MeetingStore store, Optional<ResultCache> results, AutoCloseable resources) implements AutoCloseable {
        @Override
        public void close() {
            try {
                resources.close();
            } catch (Exception e) {
                throw new IllegalStateException("could not close the store: " + e.getMessage(), e);
            }
        }
    }

    /**
     * The store named by db, to find duplicates and cached answers in; a SQLite file that does not exist
     * yet is not created: an empty temporary store stands in (it still finds duplicates among the inputs).
     * Null, after saying why, when the database cannot be opened.
     */
    private Comparing storeToCompare(Config config, Path temp) {
        if (config.get(Settings.DB) instanceof DbLocation.SqliteFile sqlite && !Files.exists(sqlite.file())) {
            SqliteMeetingStore empty = SqliteMeetingStore.open(temp.resolve("empty.db"), new InProcessStoreEvents());
            return new Comparing(empty, Optional.of(empty), empty);
        }
        java.io.ByteArrayOutputStream message = new java.io.ByteArrayOutputStream();
        StoreBackend backend = Wiring.openBackendOrExplain(config, new java.io.PrintStream(message, true,
                java.nio.charset.StandardCharsets.UTF_8)).orElse(null);
        if (backend == null) {
            spec.commandLine().getErr().print(message.toString(java.nio.charset.StandardCharsets.UTF_8));
            spec.commandLine().getErr().flush();
            return null;
        }
        return new Comparing(backend.store(), backend.results(), backend);
    }

    static String human(double seconds) {
        if (seconds < 90) return String.format(Locale.ROOT, "%.1f s", seconds);
        if (seconds < 5400) return String.format(Locale.ROOT, "%.1f min", seconds / 60);
        return String.format(Locale.ROOT, "%.1f h", seconds / 3600);
    }

}
