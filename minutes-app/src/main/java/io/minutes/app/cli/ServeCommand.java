package io.minutes.app.cli;

import io.minutes.app.Nodes;
import io.minutes.app.StoreBackend;
import io.minutes.app.Wiring;
import io.minutes.app.config.Config;
import io.minutes.app.config.ConfigException;
import io.minutes.app.config.ServeSection;
import io.minutes.app.config.Setting;
import io.minutes.app.config.Settings;
import io.minutes.app.output.MarkdownMinutes;
import io.minutes.core.node.Node;
import io.minutes.core.domain.ProgressEvent;
import io.minutes.core.engine.Dispatcher;
import io.minutes.core.engine.Pipeline;
import io.minutes.core.domain.ProgressEvent;
import io.minutes.core.engine.Retention;
import io.minutes.core.engine.StoreOutage;
import io.minutes.core.engine.Throttle;
import io.minutes.core.engine.WorkerId;
import io.minutes.core.io.TemporaryFolders;
import io.minutes.core.port.BlobStore;
import io.minutes.core.port.MeetingStore;
import io.minutes.core.port.StoreEvents;
import io.minutes.server.EventHub;
import io.minutes.server.MeetingReader;
import io.minutes.server.MeteredAnalyzer;
import io.minutes.server.MinutesServer;
import io.minutes.server.ServerMetrics;
import io.minutes.server.ServerOptions;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

import java.io.IOException;
import java.io.PrintStream;
import java.net.InetAddress;
import java.net.UnknownHostException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CountDownLatch;

/** {@code minutes serve}: the HTTP API over the same store, engine and settings as {@code run}. */
@Command(name = "serve", mixinStandardHelpOptions = true, sortOptions = false,
        description = {
                "Serve the HTTP API (see README, API section) on --host:--port (default 127.0.0.1:8080) and process "
                        + "what is submitted, with the same engine, store and settings as run.",
                "Stopped or killed? Start it again on the same --db: every batch resumes where it stood."})
public final class ServeCommand implements java.util.concurrent.Callable<Integer> {
    /** Every setting except insecure, which is the plain flag --insecure here. */
    public static final List<Setting<?>> SETTINGS = Settings.ALL.stream().filter(s -> s != Settings.INSECURE).toList();
    private static final Duration SHUTDOWN_GRACE = Duration.ofSeconds(5);

    @Spec
    CommandSpec spec;

    /** Read through the insecure setting, so a bare --insecure means true. */
    @Option(names = "--insecure", arity = "0..1", fallbackValue = "true", paramLabel = "BOOL",
            description = "Allow a non-loopback --host without API keys. Default: false. Env: MINUTES_INSECURE.")
    String insecure;

    @Override
    public Integer call() throws IOException, InterruptedException {
        PrintStream out = System.out;
        PrintStream err = System.err;
        Config config = SettingOptions.resolveOrExplain(spec, Settings.ALL).orElse(null);
        if (config == null) return ExitStatus.USAGE;
        Wiring.configureLogging(config);
        Nodes.Adapters adapters;
        try { // bad provider or transcriber settings stop serve before it connects
            adapters = Nodes.adapters(config, System.getenv());
        } catch (ConfigException e) {
            ConfigErrors.print(spec.commandLine().getErr(), e);
            return ExitStatus.USAGE;
        }
        StoreBackend backend = Wiring.openEngineBackendOrExplain(config, err).orElse(null);
        if (backend == null) return ExitStatus.USAGE;
        ServerMetrics metrics = new ServerMetrics();
        Node node = Nodes.builder(config, backend, adapters)
                .meter(provider -> new MeteredAnalyzer(provider, metrics))
                .build();
        BlobStore blobs = node.blobs();
        MeetingStore store = node.store();
        String host = config.get(Settings.HOST);
        if (!isLoopback(host) && store.apiKeysCount() == 0 && !config.get(Settings.INSECURE)) {
            err.println("minutes: refusing to serve on " + host + " without API keys: anyone who reaches it could submit "
                    + "and read meetings. Create a key with 'minutes keys create --tenant NAME' (same --db), use a loopback "
                    + "--host such as 127.0.0.1, or pass --insecure.");
            node.close();
            return ExitStatus.USAGE;
        }

        Clock clock = Clock.systemUTC();
        EventHub hub = new EventHub(clock);
        // progress of every node sharing the store (LISTEN/NOTIFY on PostgreSQL) reaches SSE clients and metrics
        node.listen(new StoreEvents.Listener() {
            @Override
            public void progress(ProgressEvent event) {
                hub.publish(event);
            }
        });
        Path uploads = Files.createTempDirectory("minutes-uploads-");
        var ingestor = Wiring.ingestor(config);
        MeetingReader reader = MeetingReader.of(ingestor, Wiring.zipLimits(config), blobs);
        ServerOptions options = ServeSection.options(config, uploads, config.get(Settings.PROVIDER),
                Wiring.analyzerIdentity(config));
        node.start();
        MinutesServer server;
        try {
            server = new MinutesServer(options, new MinutesServer.Dependencies(node, ingestor, reader, hub,
                    MarkdownMinutes::render, metrics, clock, io.minutes.app.config.LaneSection.of(config).plans(clock, node.store()))).start();
        } catch (RuntimeException e) {
            if (!causedByBind(e)) throw e;
            err.println("minutes: cannot listen on " + host + ":" + options.port() + ": the port is in use (another "
                    + "'minutes serve'?) or not allowed; choose another with --port N (0 picks a free one)");
            node.stop(SHUTDOWN_GRACE);
            node.close();
            TemporaryFolders.deleteQuietly(uploads);
            return ExitStatus.USAGE;
        }
        int port = server.port();
        out.println("Minutes is serving on http://" + (host.contains(":") ? "[" + host + "]" : host) + ":" + port
                + " (API: /api/v1, OpenAPI: /api/v1/openapi.json, metrics: /metrics)"
                + (store.apiKeysCount() > 0 ? "; API keys required" : "; no API keys: open to whoever reaches it"));
        out.flush();

        CountDownLatch stopped = new CountDownLatch(1);
        CountDownLatch exited = new CountDownLatch(1);
        Runtime.getRuntime().addShutdownHook(new Thread(() -> {
            stopped.countDown();
            try {
                exited.await();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }, "minutes-serve-stop"));
        // a dead engine is not a server that takes batches no one runs: it stops, non-zero, for its supervisor
        node.onDeath(cause -> stopped.countDown());
        try {
            stopped.await();
            server.close();
            node.stop(SHUTDOWN_GRACE);
            node.close();
            TemporaryFolders.deleteQuietly(uploads);
            var death = node.deathCause();
            if (death.isPresent()) {
                err.println("minutes: stopped serving on port " + port + ": "
                        + EngineDeath.describe(death.get(), "start it again") + "; meetings in flight went back to the queue.");
                return ExitStatus.FAILED_MEETINGS;
            }
            out.println("Minutes stopped serving on port " + port + "; meetings in flight went back to the queue.");
            out.flush();
        } finally {
            exited.countDown();
        }
        return ExitStatus.OK;
    }

    private static boolean causedByBind(Throwable e) {
        for (Throwable t = e; t != null; t = t.getCause()) {
            if (t instanceof java.net.BindException || t.getClass().getSimpleName().contains("BindException")) return true;
        }
        return false;
    }

    static boolean isLoopback(String host) {
        try {
            for (InetAddress address : InetAddress.getAllByName(host)) {
                if (!address.isLoopbackAddress()) return false;
            }
            return true;
        } catch (UnknownHostException e) {
            return false;
        }
    }

}
