package io.minutes.app.cli;

import io.minutes.app.Nodes;
import io.minutes.app.StoreBackend;
import io.minutes.app.Wiring;
import io.minutes.app.config.Config;
import io.minutes.app.config.ConfigException;
import io.minutes.app.config.Sections;
import io.minutes.app.config.Setting;
import io.minutes.app.config.Settings;
import io.minutes.app.output.RunOutput;
import io.minutes.core.domain.Batch;
import io.minutes.core.domain.BatchCounts;
import io.minutes.core.domain.Budget;
import io.minutes.core.domain.OnDuplicate;
import io.minutes.core.domain.Submission;
import io.minutes.core.engine.Estimator;
import io.minutes.core.engine.RateLimits;
import io.minutes.core.ingest.InputFile;
import io.minutes.core.ingest.PreparedBatch;
import io.minutes.core.node.Node;
import io.minutes.core.submission.Submissions;
import io.minutes.core.domain.ProgressEvent;
import io.minutes.core.port.BlobStore;
import io.minutes.core.port.BatchStore.NewMeeting;
import io.minutes.core.engine.Dispatcher;
import io.minutes.core.engine.Retention;
import io.minutes.core.engine.Throttle;
import io.minutes.core.engine.Pipeline;
import io.minutes.core.engine.WorkerId;
import io.minutes.core.domain.ProgressEvent;
import io.minutes.core.port.Analyzer;
import io.minutes.core.port.BatchStore;
import io.minutes.core.port.MeetingStore;
import io.minutes.core.port.StoreEvents;
import io.minutes.core.port.StoreUnavailableException;
import io.minutes.core.engine.StoreOutage;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;

/** {@code minutes run PATH...}: the main job, start to end, resumable. */
@Command(name = "run", mixinStandardHelpOptions = true, sortOptions = false,
        description = {
                "Turn every transcript under PATH... into minutes: <out>/<name>.json, <out>/<name>.md and <out>/batch.json.",
                "Interrupted or crashed? Run the same command again: it continues where it stopped and never redoes a completed meeting.",
                "A store that cannot be written (database unreachable, disk full) is waited for, up to --store-outage-limit.",
                "Exit status: 0 all completed or skipped, 1 some failed or the store or --out could not be written, "
                        + "2 usage error, 130 interrupted."})
public final class RunCommand implements java.util.concurrent.Callable<Integer> {
    public static final List<Setting<?>> SETTINGS = Sections.settingsOf(Sections.RUN);
    private static final Duration SHUTDOWN_GRACE = Duration.ofSeconds(5);

    @Spec
    CommandSpec spec;

    @Parameters(arity = "1..*", paramLabel = "PATH", description = "Transcript files (.vtt .srt .txt .md .json .docx), ZIP archives of them, recordings (.mp3 .wav .m4a .ogg .opus .flac .webm .mp4 .mov .mkv; see --transcriber) and folders.")
    List<Path> paths;

    @Option(names = "--json", description = "Print only the final batch.json on stdout.")
    boolean json;

    @Option(names = "--fresh", description = "Start a new batch even if these inputs were run before.")
    boolean fresh;

    @Override
    public Integer call() throws IOException, InterruptedException {
        try {
            return runChecked();
        } catch (StoreUnavailableException e) {
            // before the dispatcher runs (storing the batch, reading it back): nothing was sent that is not kept
            System.err.println("minutes: " + e.condition() + "; nothing more was sent. "
                    + "Fix it and run the same command again: it continues where it stopped.");
            return ExitStatus.FAILED_MEETINGS;
        }
    }

    private Integer runChecked() throws IOException, InterruptedException {
        PrintStream out = System.out;
        PrintStream err = System.err;
        Config config = SettingOptions.resolveOrExplain(spec, SETTINGS).orElse(null);
        if (config == null) return ExitStatus.USAGE;
        Wiring.configureLogging(config);
        Nodes.Adapters adapters;
        try { // bad provider or transcriber settings stop the run before anything is stored
            adapters = Nodes.adapters(config, System.getenv());
        } catch (ConfigException e) {
            ConfigErrors.print(spec.commandLine().getErr(), e);
            return ExitStatus.USAGE;
        }
        if (config.get(Settings.LANE) == io.minutes.core.lane.LaneChoice.BATCH && adapters.batches() == null) {
            err.println("minutes: setting 'lane' is batch, but provider '" + config.get(Settings.PROVIDER) + "' has no batch "
                    + "API: use --provider openai or anthropic, or --lane realtime");
            return ExitStatus.USAGE;
        }
        Inputs.Collected inputs;
        try {
            inputs = Inputs.collect(paths);
        } catch (IllegalArgumentException e) {
            err.println("minutes: " + e.getMessage());
            return ExitStatus.USAGE;
        }
        PrintStream info = json ? err : out;
        if (!inputs.passedOver().isEmpty()) {
            info.println("Passed over " + inputs.passedOver().size() + " file(s) that are not transcripts nor recordings ("
                    + String.join(", ", java.util.stream.Stream.concat(InputFile.TRANSCRIPT_EXTENSIONS.stream(),
                            InputFile.RECORDING_EXTENSIONS.stream()).sorted().map(e -> "." + e).toList())
                    + "): " + inputs.passedOver().stream().limit(5).map(Path::toString).toList()
                    + (inputs.passedOver().size() > 5 ? " ..." : ""));
        }
        if (inputs.files().isEmpty()) {
            err.println("minutes: no transcripts found in " + paths + "; name .vtt, .srt, .txt, .md, .json, .docx or .zip files, "
                    + "recordings (.mp3 .wav .m4a .ogg .opus .flac .webm .mp4 .mov .mkv) or folders holding them");
            return ExitStatus.USAGE;
        }
        Optional<String> unwritable = RunOutput.unwritable(config.get(Settings.OUT));
        if (unwritable.isPresent()) { // before anything is stored or sent
            err.println("minutes: " + unwritable.get());
            return ExitStatus.USAGE;
        }
        String provider = config.get(Settings.PROVIDER);
        StoreBackend backend = Wiring.openEngineBackendOrExplain(config, err).orElse(null);
        if (backend == null) return ExitStatus.USAGE;
        Node node = Nodes.from(config, backend, adapters);
        BlobStore blobs = node.blobs();
        PreparedBatch prepared = PreparedBatch.of(inputs.files(), Wiring.ingestor(config), Wiring.zipLimits(config),
                askedFor(config), blobs);
        if (!prepared.notes().isEmpty()) {
            info.println("In archives: " + String.join("; ", prepared.notes().stream().limit(5).toList())
                    + (prepared.notes().size() > 5 ? "; and " + (prepared.notes().size() - 5) + " more" : ""));
        }
        if (prepared.meetings().isEmpty()) {
            err.println("minutes: no transcripts found in the archives of " + paths);
            node.close();
            return ExitStatus.USAGE;
        }

        long started = System.nanoTime();
        MeetingStore store = node.store();
        node.purgeExpired(); // before looking for the batch of these inputs: never resume one being purged
        Submissions submissions = new Submissions(store, store, node.estimator(), Integer.MAX_VALUE, Clock.systemUTC(),
                io.minutes.app.config.LaneSection.of(config).plans(Clock.systemUTC(), store));
        Batch batch = findOrCreate(store, prepared, provider, config, info, submissions).orElse(null);
        RunOutput output = new RunOutput(config.get(Settings.OUT), prepared.meetings().stream()
                .map(m -> m.transcript() == null ? List.<String>of() : m.transcript().warnings()).toList());
        prepared = null; // stored: its transcripts need not stay in memory while the batch runs
        if (batch == null) {
            node.close();
            return ExitStatus.USAGE;
        }

        boolean showProgress = true; // with --json too: progress, retries and failures go to stderr
        ProgressView progress = new ProgressView(json ? err : out, Terminal.stdoutIsTerminal() && !json,
                batch.id(), batch.counts());
        CountDownLatch finished = new CountDownLatch(1);
        // progress of this batch from every node sharing the store (other workers on PostgreSQL)
        node.listen(new StoreEvents.Listener() {
            @Override
            public void progress(ProgressEvent event) {
                if (showProgress) progress.publish(event);
                if (event.batchId().equals(batch.id()) && event.counts().isFinished()) finished.countDown();
            }
        });

        Thread onInterrupt = new Thread(() -> {
            node.stop(SHUTDOWN_GRACE);
            try {
                Batch now = store.batchGet(batch.id()).orElseThrow();
                output.write(now, store, seconds(started));
                progress.finish(now.counts());
                err.println("Interrupted: " + now.counts().finished() + " of " + now.counts().total()
                        + " meetings done. Run the same command again to continue.");
            } catch (IOException | RuntimeException e) {
                err.println("minutes: could not write results while stopping: " + e.getMessage());
            }
            node.close();
        }, "minutes-interrupt");
        Duration outageLimit = config.get(Settings.STORE_OUTAGE_LIMIT);
        node.storeOutage().listener(new StoreOutage.Listener() {
            @Override
            public void started(StoreOutage.Outage outage) {
                err.println("minutes: " + outage.condition() + " since " + clockTime(outage.since())
                        + "; waiting, and resuming by itself when it is back (answers already paid for are kept; "
                        + "gives up after store-outage-limit " + outageLimit.toSeconds() + " s)");
            }

            @Override
            public void ended(StoreOutage.Outage outage, java.time.Instant at) {
                err.println("minutes: the store is back (" + outage.condition() + " for "
                        + Duration.between(outage.since(), at).toSeconds() + " s); resuming");
            }
        });
        Runtime.getRuntime().addShutdownHook(onInterrupt);

        node.onDeath(cause -> finished.countDown());
        String stoppedBecause = null;
        try {
            if (!batch.counts().isFinished()) {
                node.start();
                stoppedBecause = awaitFinished(store, batch.id(), finished, node, outageLimit).orElse(null);
            }
        } finally {
            removeHook(onInterrupt);
        }
        node.stop(SHUTDOWN_GRACE); // meetings in flight go back to the queue
        if (stoppedBecause != null) {
            err.println("minutes: " + stoppedBecause);
            writeQuietly(output, store, batch.id(), started);
            closeQuietly(node);
            return ExitStatus.FAILED_MEETINGS;
        }

        Batch done = store.batchGet(batch.id()).orElseThrow();
        // the store answered: an outage whose held writes finished the batch ends here, not only at a next claim
        node.storeOutage().succeeded(Clock.systemUTC().instant());
        RunOutput.Written report;
        try {
            report = output.write(done, store, seconds(started));
        } catch (IOException e) {
            node.close();
            if (showProgress) progress.finish(done.counts());
            err.println("minutes: cannot write the minutes to " + config.get(Settings.OUT) + ": " + describe(e)
                    + ". The results are kept in the store: free space (or choose another --out) and run the same "
                    + "command again to write them.");
            return ExitStatus.FAILED_MEETINGS;
        }
        List<String> skippedReasons = SkippedReasons.lines(store.meetingsBrief(done.id()));
        node.close();
        if (showProgress) progress.finish(done.counts());
        skippedReasons.forEach(info::println);
        if (json) {
            java.nio.file.Files.copy(report.batchJson(), out); // streamed: a 100,000-item batch.json is never whole in memory
            out.flush();
        } else {
            printSummary(out, done, report.status(), config.get(Settings.OUT));
        }
        return done.counts().failed() > 0 ? ExitStatus.FAILED_MEETINGS : ExitStatus.OK;
    }

    /**
     * The batch of these inputs: the one they made before (resumed, its failed meetings tried again), or
     * a new one. With --budget and without --allow-over-budget, empty (after saying why) when what is
     * left to send would pass the budget: for a new batch, what it would send (not the duplicates it
     * would skip, not the answers the result cache holds); for an earlier one, what it spent plus what
     * it has left.
     */
    private Optional<Batch> findOrCreate(MeetingStore store, PreparedBatch prepared, String provider, Config config,
                                         PrintStream info, Submissions submissions) {
        Double budgetUsd = config.get(Settings.BUDGET);
        boolean allowOverBudget = config.get(Settings.ALLOW_OVER_BUDGET);
        RateLimits limits = Wiring.rateLimits(config);
        java.time.Instant deadline = io.minutes.app.config.LaneSection.of(config).deadline(Clock.systemUTC().instant());
        Batch existing = fresh ? null : store.batchFindByRunKey(prepared.runKey()).orElse(null);
        OnDuplicate onDuplicate = config.get(Settings.ON_DUPLICATE);
        if (existing != null && onDuplicate == OnDuplicate.REPLACE && existing.counts().isFinished()) {
            info.println("Batch " + existing.id() + " of these inputs finished before; --on-duplicate replace processes "
                    + "them again as a new batch.");
            existing = null;
        }
        if (existing == null) {
            BatchStore.BatchCreateParams params = new BatchStore.BatchCreateParams(prepared.runKey(), provider,
                    Clock.systemUTC().instant(), prepared.meetings(), config.get(Settings.PRIORITY), onDuplicate,
                    config.get(Settings.TIER), budgetUsd, Wiring.analyzerIdentity(config),
                    new Submission(null, onDuplicate, config.get(Settings.PRIORITY).wireName(), null, budgetUsd, allowOverBudget),
                    java.util.Collections.nCopies(prepared.meetings().size(), config.get(Settings.TIER)));
            Optional<Submissions.Stored> stored = stored(submissions.submit(new Submissions.NewBatch(params, limits, false,
                    config.get(Settings.LANE), deadline)));
            stored.map(Submissions.Stored::plan).ifPresent(plan -> info.printf(java.util.Locale.ROOT,
                    "Lanes: %d batch, %s%d realtime; list $%.4f, planned $%.4f at most; %s%n", plan.count(io.minutes.core.domain.Lane.BATCH),
                    plan.count(io.minutes.core.domain.Lane.FLEX) == 0 ? "" : plan.count(io.minutes.core.domain.Lane.FLEX) + " flex, ",
                    plan.count(io.minutes.core.domain.Lane.REALTIME), plan.listUsd(), plan.plannedUsd(), plan.why()));
            return stored.map(Submissions.Stored::batch);
        }
        BatchCounts counts = existing.counts();
        Optional<Submissions.Stored> resumed = stored(submissions.resume(
                new Submissions.Resume(existing, prepared.meetings(), budgetUsd, allowOverBudget, limits, deadline)));
        if (resumed.isEmpty()) return Optional.empty();
        if (!counts.isFinished()) {
            info.println("Resuming batch " + existing.id() + ": " + counts.finished() + " of " + counts.total()
                    + " meetings already done.");
        } else if (counts.failed() + counts.cancelled() > 0) {
            info.println("Batch " + existing.id() + " ran before; trying its " + resumed.get().requeued()
                    + " failed meeting(s) again (--fresh starts over).");
        } else {
            info.println("Batch " + existing.id() + " already finished; writing its minutes again (--fresh starts over).");
        }
        return Optional.of(resumed.get().batch());
    }

    /** What was stored, or empty after saying why it was refused. */
    private static Optional<Submissions.Stored> stored(Submissions.Result result) {
        return switch (result) {
            case Submissions.Stored stored -> Optional.of(stored);
            case Submissions.OverBudget over -> {
                sayOverBudget(over);
                yield Optional.empty();
            }
            case Submissions.QueueFull full -> throw new IllegalStateException("run has no queue limit, yet " + full);
        };
    }

    /**
     * What is asked of the inputs, part of the run key: the same files asked for other minutes (another
     * provider, model, analysis version, redaction, tier or on-duplicate) are another batch, not a resume.
     */
    private static String askedFor(Config config) {
        return askedFor(Wiring.analyzerIdentity(config), config.get(Settings.TIER), config.get(Settings.ON_DUPLICATE));
    }

    /** The same, from its parts: {@code analyzer} as {@link Wiring#analyzerIdentity} says it. */
    public static String askedFor(String analyzer, io.minutes.core.domain.Tier tier, OnDuplicate onDuplicate) {
        return analyzer + " tier=" + tier.wireName() + " on-duplicate=" + onDuplicate.wireName();
    }

    /** Says why the estimate (plus what the batch spent before) refused the run. */
    private static void sayOverBudget(Submissions.OverBudget over) {
        Estimator.Estimate e = over.estimate();
        double spentUsd = over.spentUsd();
        double budgetUsd = over.budgetUsd();
        System.err.printf(Locale.ROOT, "minutes: the estimate, $%.4f at most for %d meeting(s) to send%s%s%s, passes --budget $%.4f; "
                        + "nothing was started. Not counted, as they cost nothing: %d answered from the result cache, %d "
                        + "duplicate(s) of meetings already stored. Raise --budget, or give --allow-over-budget to start anyway "
                        + "(meetings are then skipped with reason %s once spent + reserved would pass the budget).%n",
                over.maxCostUsd(), e.meetings(), e.recordings() > 0 ? " and " + e.recordings() + " recording(s) to transcribe" : "",
                over.atLanePrices() ? String.format(Locale.ROOT, " in the lanes planned ($%.4f at the list price)", e.maxCostUsd()) : "",
                spentUsd > 0 ? String.format(Locale.ROOT, " after the $%.4f this batch spent before", spentUsd) : "",
                budgetUsd, e.cached(), e.duplicates(), Budget.EXHAUSTED);
    }

    /**
     * Events say when the batch finishes; the store is asked too, for finishes no event reports (e.g. a reaper).
     *
     * A dead engine ends the wait too ({@code finished} is counted down then), so a run never waits for
     * work no one does.
     *
     * @return why the run stops before the batch finished (a store outage longer than {@code outageLimit},
     *         or the engine died), if it does
     */
    private static Optional<String> awaitFinished(MeetingStore store, String batchId, CountDownLatch finished,
                                                  Node node, Duration outageLimit)
            throws InterruptedException {
        boolean counted;
        do {
            counted = finished.await(1, TimeUnit.SECONDS);
            Optional<Throwable> death = node.deathCause();
            if (death.isPresent()) {
                return Optional.of(EngineDeath.describe(death.get(), "run the same command again to resume"));
            }
            if (counted) return Optional.empty();
            Optional<StoreOutage.Outage> outage = node.storeOutage().current();
            if (outage.isPresent()
                    && Duration.between(outage.get().since(), Clock.systemUTC().instant()).compareTo(outageLimit) > 0) {
                return Optional.of("stopped: " + outage.get().condition() + " since " + clockTime(outage.get().since())
                        + " (store-outage-limit " + outageLimit.toSeconds() + " s). What was stored is kept; "
                        + "run the same command again once it is fixed.");
            }
            try {
                if (store.batchGet(batchId).map(b -> b.counts().isFinished()).orElse(true)) return Optional.empty();
            } catch (StoreUnavailableException e) {
                // the dispatcher's writes say when the store fails and when it is back
            }
        } while (true);
    }

    private static void removeHook(Thread hook) {
        try {
            Runtime.getRuntime().removeShutdownHook(hook);
        } catch (IllegalStateException e) {
            // the JVM is shutting down already: the hook runs
        }
    }

    /** What can be written of the batch after giving up on the store: nothing, when it cannot even be read. */
    private static void writeQuietly(RunOutput output, BatchStore store, String batchId, long started) {
        try {
            Batch now = store.batchGet(batchId).orElseThrow();
            output.write(now, store, seconds(started));
        } catch (IOException | RuntimeException e) {
            // the store or the disk is what failed; the next run writes them
        }
    }

    private static void closeQuietly(Node node) {
        try {
            node.close();
        } catch (RuntimeException e) {
            // nothing more to keep
        }
    }

    private static String clockTime(java.time.Instant at) {
        return java.time.format.DateTimeFormatter.ofPattern("HH:mm:ss").withZone(java.time.ZoneId.systemDefault()).format(at);
    }

    /** "No space left on device" is said as a full disk, with the file it was writing. */
    private static String describe(IOException e) {
        String message = String.valueOf(e.getMessage());
        if (message.contains("No space left on device")) return "the disk is full";
        return e instanceof java.nio.file.FileSystemException fs && fs.getFile() != null
                ? fs.getFile() + ": " + (fs.getReason() == null ? e.getClass().getSimpleName() : fs.getReason())
                : message;
    }

    /** {@code status} as batch.json says it (budget_exhausted included). */
    private static void printSummary(PrintStream out, Batch batch, String status, Path outDir) {
        BatchCounts c = batch.counts();
        out.printf("Batch %s %s: %d completed, %d failed, %d skipped of %d. Minutes in %s (<name>.md and .json; the batch's report is batch.json)%n",
                batch.id(), status, c.completed(), c.failed(), c.skipped(), c.total(), outDir + java.io.File.separator);
    }

    private static double seconds(long startNanos) {
        return (System.nanoTime() - startNanos) / 1e9;
    }

}
