package io.minutes.app;

import io.minutes.app.config.Config;
import io.minutes.app.config.ConfigException;
import io.minutes.app.config.Settings;
import io.minutes.app.config.ProviderSection;
import io.minutes.core.lane.ProviderBatchLane;
import io.minutes.app.config.StyleSection;
import io.minutes.core.node.Node;
import io.minutes.core.node.ThrottleLink;
import io.minutes.core.port.Analyzer;
import io.minutes.core.port.ProviderBatches;
import io.minutes.core.port.ResultCache;
import io.minutes.core.port.Transcriber;
import io.minutes.store.StoreFailures;

import java.util.Map;

/**
 * The configuration's part of a {@link Node}: which adapters the settings name, and the store backend's
 * companions (shared buckets, blobs, events). Every command that processes meetings starts its node here.
 */
public final class Nodes {
    private Nodes() {
    }

    /**
     * The provider and transcriber the settings name, each built once, before anything is opened, and
     * linked to the throttles the node attaches when it is built on a store.
     */
    public record Adapters(Analyzer analyzer, ThrottleLink analyzerLink, Transcriber transcriber,
                           ThrottleLink transcriberLink, ProviderBatches batches) {
        public Adapters(Analyzer analyzer, ThrottleLink analyzerLink, Transcriber transcriber, ThrottleLink transcriberLink) {
            this(analyzer, analyzerLink, transcriber, transcriberLink, null);
        }
    }

    /**
     * @param env where API keys are read from
     * @throws ConfigException when the provider or transcriber settings do not work (no key, settings
     *                         that do not fit together): nothing is opened, stored or sent
     */
    public static Adapters adapters(Config config, Map<String, String> env) throws ConfigException {
        ThrottleLink analyzerLink = new ThrottleLink();
        Analyzer analyzer = Wiring.analyzer(config, env, analyzerLink, analyzerLink);
        ThrottleLink transcriberLink = new ThrottleLink();
        Transcriber transcriber = AudioWiring.transcriber(config, env, transcriberLink, transcriberLink);
        // the provider's batch API (openai, anthropic), for the meetings planned for the batch lane; null for the others
        ProviderBatches batches = ProviderSection.of(config).batches(env).orElse(null);
        return new Adapters(analyzer, analyzerLink, transcriber, transcriberLink, batches);
    }

    /**
     * The node of these settings on {@code backend}, not built yet (a command may add to it, serve its
     * metrics): the rate-limit buckets are the backend's (shared by every node on PostgreSQL), the
     * transcription service has a throttle of its own, and closing the node closes the backend.
     */
    public static Node.Builder builder(Config config, StoreBackend backend, Adapters adapters) {
        Node.Builder node = Node.builder(backend.store(), backend.events(), adapters.analyzer())
                .throttle(Wiring.throttle(config, backend), adapters.analyzerLink())
                .concurrency(Wiring.concurrencyLimit(config))
                .transcription(adapters.transcriber(), Wiring.transcriptionThrottle(config, backend),
                        adapters.transcriberLink())
                .blobs(AudioWiring.blobStore(config, backend))
                .redact(config.get(Settings.REDACT))
                .unsupportedItems(config.get(Settings.UNSUPPORTED_ITEMS))
                .stylist(StyleSection.stylist(config))
                .sensitiveTier(Wiring.sensitiveTier(config))
                .engine(Wiring.engineSettings(config))
                .retryPolicy(Wiring.retryPolicy(config))
                .storeFailures(StoreFailures::unavailable)
                .retention(config.get(Settings.RETENTION), Node.DEFAULT_RETENTION_INTERVAL)
                .flex(io.minutes.app.config.LaneSection.of(config).flexOffered())
                .closing(backend);
        if (backend.store() instanceof ResultCache cache) node.resultCache(cache, Wiring.model(config));
        if (adapters.batches() != null) {
            node.providerBatches(adapters.batches(), new ProviderBatchLane.Settings(config.get(Settings.BATCH_POLL_INTERVAL),
                    null, true), null);
            node.deadlines(io.minutes.app.config.LaneSection.of(config).cutOverSettings(backend.store()));
        }
        return node;
    }

    /** The same, built. */
    public static Node from(Config config, StoreBackend backend, Adapters adapters) {
        return builder(config, backend, adapters).build();
    }
}
