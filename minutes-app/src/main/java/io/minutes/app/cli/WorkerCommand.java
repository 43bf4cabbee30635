package io.minutes.app.cli;

import io.minutes.app.AudioWiring;
import io.minutes.app.Main;
import io.minutes.app.StoreBackend;
import io.minutes.app.Wiring;
import io.minutes.app.config.Config;
import io.minutes.app.config.ConfigException;
import io.minutes.app.config.Setting;
import io.minutes.app.config.Settings;
import io.minutes.core.engine.Dispatcher;
import io.minutes.core.engine.Pipeline;
import io.minutes.core.engine.StoreOutage;
import io.minutes.core.engine.Throttle;
import io.minutes.core.engine.WorkerId;
import io.minutes.core.port.Analyzer;
import io.minutes.core.port.StoreEvents;
import io.minutes.core.port.Transcriber;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Spec;

import java.io.PrintStream;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;

/**
 * {@code minutes worker}: a node that only processes. It takes meetings of every batch in the shared
 * store until it is stopped (SIGTERM, Ctrl-C), then lets meetings in flight finish for a moment
 * and hands the rest back to the queue, so another node takes them at once.
 */
@Command(name = "worker", mixinStandardHelpOptions = true, sortOptions = false,
        description = {
                "Process meetings of every batch in the store named by --db until stopped (SIGTERM or Ctrl-C).",
                "Start one per machine (or several) on one PostgreSQL database to share the work; submit batches with `minutes run`.",
                "On stop, meetings in flight get a few seconds to finish; the rest go back to the queue for another worker.",
                "A worker killed outright (kill -9, a crash) loses nothing: its leases expire and others take its meetings."})
public final class WorkerCommand implements Callable<Integer> {
    public static final List<Setting<?>> SETTINGS = Settings.ALL.stream()
            // reading inputs and writing outputs are run's; listening and talking to a service are serve's and submit's
            .filter(s -> !List.of(Settings.OUT, Settings.MIN_TRANSCRIPT_CHARS, Settings.MAX_ZIP_ENTRIES,
                    Settings.MAX_UNZIPPED_BYTES).contains(s) && !Settings.SERVICE.contains(s))
            .toList();
    private static final Duration SHUTDOWN_GRACE = Duration.ofSeconds(5);

    @Spec
    CommandSpec spec;

    @Override
    public Integer call() throws InterruptedException {
        PrintStream err = System.err;
        Config config = SettingOptions.resolveOrExplain(spec, SETTINGS).orElse(null);
        if (config == null) return Main.EXIT_USAGE;
        Wiring.configureLogging(config);
        try {
            Wiring.analyzer(config, System.getenv()); // bad provider settings stop the worker before it connects
        } catch (ConfigException e) {
            ConfigErrors.print(spec.commandLine().getErr(), e);
            return Main.EXIT_USAGE;
        }
        Transcriber transcriber;
        try {
            transcriber = AudioWiring.transcriber(config, System.getenv());
        } catch (ConfigException e) {
            ConfigErrors.print(spec.commandLine().getErr(), e);
            return Main.EXIT_USAGE;
        }
        StoreBackend backend = Wiring.openBackendOrExplain(config, err).orElse(null);
        if (backend == null) return Main.EXIT_USAGE;

        WorkerId id = WorkerId.forThisProcess();
        // the rate-limit buckets are the backend's: on PostgreSQL every node draws from the same ones
        Throttle throttle = Wiring.throttle(config, backend);
        StoreOutage storeOutage = new StoreOutage();
        Analyzer analyzer = Wiring.analyzerChecked(config, throttle, storeOutage);
        // the transcription service has limits of its own, admitted file by file
        transcriber = AudioWiring.transcriberChecked(config, Wiring.transcriptionThrottle(config, backend), storeOutage);
        Pipeline.Transcription transcription = new Pipeline.Transcription(transcriber,
                AudioWiring.blobStore(config, backend), backend.store(), id.toString(), Clock.systemUTC());
        Dispatcher dispatcher = Wiring.dispatcher(config, backend, analyzer, transcription, throttle, id,
                backend.events(), storeOutage);
        backend.events().subscribe(new StoreEvents.Listener() {
            @Override
            public void workAdded() {
                dispatcher.wake();
            }
        });

        CountDownLatch stopped = new CountDownLatch(1);
        CountDownLatch exited = new CountDownLatch(1);
        Runtime.getRuntime().addShutdownHook(new Thread(() -> {
            stopped.countDown();
            try {
                exited.await();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }, "minutes-worker-stop"));

        // a dead engine is not an idle worker: it stops, non-zero, for its supervisor to start it again
        dispatcher.onDeath(cause -> stopped.countDown());
        dispatcher.start();
        err.println("minutes worker " + id + ": processing meetings from " + backend.location() + " with provider "
                + config.get(Settings.PROVIDER) + ", " + Wiring.engineSettings(config).concurrency() + " at a time. Stop with Ctrl-C or SIGTERM.");
        try {
            stopped.await();
            dispatcher.shutdown(SHUTDOWN_GRACE);
            backend.close();
            var death = dispatcher.deathCause();
            if (death.isPresent()) {
                err.println("minutes worker " + id + ": " + EngineDeath.describe(death.get(), "start it again")
                        + "; meetings in flight were handed back to the queue.");
                return Main.EXIT_FAILED_MEETINGS;
            }
            err.println("minutes worker " + id + ": stopped; meetings in flight were handed back to the queue.");
        } finally {
            exited.countDown();
        }
        return Main.EXIT_OK;
    }
}
