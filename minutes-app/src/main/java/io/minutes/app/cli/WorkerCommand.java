package io.minutes.app.cli;

import io.minutes.app.Nodes;
import io.minutes.app.StoreBackend;
import io.minutes.app.Wiring;
import io.minutes.app.config.Config;
import io.minutes.app.config.ConfigException;
import io.minutes.app.config.Sections;
import io.minutes.app.config.Setting;
import io.minutes.app.config.Settings;
import io.minutes.core.node.Node;
import io.minutes.core.engine.WorkerId;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Spec;

import java.io.PrintStream;
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
    public static final List<Setting<?>> SETTINGS = Sections.settingsOf(Sections.WORKER);
    private static final Duration SHUTDOWN_GRACE = Duration.ofSeconds(5);

    @Spec
    CommandSpec spec;

    @Override
    public Integer call() throws InterruptedException {
        PrintStream err = System.err;
        Config config = SettingOptions.resolveOrExplain(spec, SETTINGS).orElse(null);
        if (config == null) return ExitStatus.USAGE;
        Wiring.configureLogging(config);
        Nodes.Adapters adapters;
        try { // bad provider or transcriber settings stop the worker before it connects
            adapters = Nodes.adapters(config, System.getenv());
        } catch (ConfigException e) {
            ConfigErrors.print(spec.commandLine().getErr(), e);
            return ExitStatus.USAGE;
        }
        StoreBackend backend = Wiring.openEngineBackendOrExplain(config, err).orElse(null);
        if (backend == null) return ExitStatus.USAGE;
        Node node = Nodes.from(config, backend, adapters);
        WorkerId id = node.owner();

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
        node.onDeath(cause -> stopped.countDown());
        node.start();
        err.println("minutes worker " + id + ": processing meetings from " + backend.location() + " with provider "
                + config.get(Settings.PROVIDER) + ", " + Wiring.engineSettings(config).concurrency() + " at a time. Stop with Ctrl-C or SIGTERM.");
        try {
            stopped.await();
            node.stop(SHUTDOWN_GRACE);
            node.close();
            var death = node.deathCause();
            if (death.isPresent()) {
                err.println("minutes worker " + id + ": " + EngineDeath.describe(death.get(), "start it again")
                        + "; meetings in flight were handed back to the queue.");
                return ExitStatus.FAILED_MEETINGS;
            }
            err.println("minutes worker " + id + ": stopped; meetings in flight were handed back to the queue.");
        } finally {
            exited.countDown();
        }
        return ExitStatus.OK;
    }
}
