package io.minutes.app.config;

import io.minutes.core.engine.RateLimits;
import io.minutes.core.lane.BatchLatency;
import io.minutes.core.lane.CutOverWatch;
import io.minutes.core.lane.Deadline;
import io.minutes.core.lane.DeadlineBuffer;
import io.minutes.core.lane.LaneChoice;
import io.minutes.core.lane.LaneOffer;
import io.minutes.core.lane.LanePlanner;
import io.minutes.core.lane.LanePlans;
import io.minutes.core.lane.LanePrices;
import io.minutes.core.lane.RealtimeDrain;
import io.minutes.core.port.ProviderBatchStore;
import io.minutes.providers.cost.Prices;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.util.List;

/**
 * The lane section: deadline-buffer and batch-latency-assumed (with the batch's lane and deadline, where they are
 * read), and what the {@link LanePlanner} is told about the configured provider and model: which lanes it offers, their prices, how fast realtime drains
 * under the configured limits and concurrency, and how long its batches take.
 */
public record LaneSection(Config config) {

    public static final Section SECTION = Section.of("lanes", Settings.DEADLINE_BUFFER, Settings.BATCH_LATENCY_ASSUMED);

    /**
     * About how long one realtime call for a meeting's minutes takes (a transcript of about an hour, a few
     * thousand tokens of answer), and one flex call: OpenAI says flex answers more slowly, without a figure.
     * Only the planner's drain estimate reads them; the buffer pays for what they get wrong.
     */
    static final Duration CALL_LATENCY = Duration.ofSeconds(30);
    static final Duration FLEX_CALL_LATENCY = Duration.ofSeconds(90);

    public static LaneSection of(Config config) {
        return new LaneSection(config);
    }

    public LaneChoice choice() {
        return config.get(Settings.LANE);
    }

    /** The deadline's instant for a batch submitted at {@code now}, or null for none. */
    public Instant deadline(Instant now) {
        Deadline d = config.get(Settings.DEADLINE);
        if (d == null) return null;
        try {
            return d.at(now, ZoneId.systemDefault());
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException(Section.named(config, Settings.DEADLINE) + e.getMessage(), e);
        }
    }

    /**
     * The lanes this provider offers besides realtime: a provider batch for openai and anthropic; flex for openai with a
     * model that takes it ({@link #flexOffered()}).
     */
    public LaneOffer offer() {
        String name = ProviderSection.of(config).provider().name();
        boolean batch = name.equals(Providers.OPENAI.name()) || name.equals(Providers.ANTHROPIC.name());
        return new LaneOffer(batch, flexOffered(), config.get(Settings.ALLOW_SENSITIVE).contains(name));
    }

    /**
     * Whether the configured provider and model take flex calls: openai, with a model OpenAI offers flex for (o3,
     * o4-mini, the gpt-5 family) or one a {@code flex:MODEL=IN/OUT} entry of prices names.
     */
    public boolean flexOffered() {
        ProviderSection provider = ProviderSection.of(config);
        return provider.provider().name().equals(Providers.OPENAI.name())
                && config.get(Settings.PRICES).offersFlex(provider.model());
    }

    /** The model's price in each lane, from the prices table (batch and flex: half the list price unless an entry says otherwise). */
    public LanePrices prices() {
        Prices table = config.get(Settings.PRICES);
        String model = ProviderSection.of(config).model();
        if (table.find(model).isEmpty()) return LanePrices.listOnly(new LanePrices.TokenPrice(0, 0)); // warned when it is used
        return new LanePrices(price(table, Prices.Lane.REALTIME, model), price(table, Prices.Lane.FLEX, model),
                price(table, Prices.Lane.BATCH, model));
    }

    private static LanePrices.TokenPrice price(Prices table, Prices.Lane lane, String model) {
        Prices at = table.atLane(lane);
        return new LanePrices.TokenPrice(at.tokensCost(model, 1_000_000, 0), at.tokensCost(model, 0, 1_000_000));
    }

    public RealtimeDrain drain() {
        RateLimits limits = RateLimitSection.of(config).limits();
        return new RealtimeDrain(limits, EngineSection.of(config).mostInFlight(), CALL_LATENCY, FLEX_CALL_LATENCY);
    }

    /** How long this provider's batches take: {@code observed} (ended batches' durations), else the assumed value. */
    public BatchLatency batchLatency(List<Duration> observed) {
        Duration assumed = config.get(Settings.BATCH_LATENCY_ASSUMED);
        if (assumed == null) {
            boolean anthropic = ProviderSection.of(config).provider().name().equals(Providers.ANTHROPIC.name());
            assumed = anthropic ? BatchLatency.ANTHROPIC_ASSUMED : BatchLatency.OPENAI_ASSUMED;
        }
        return BatchLatency.of(assumed, observed);
    }

    /**
     * How the batch lane watches deadlines: the same drain, buffer and batch latency the planner counts with (the
     * latency as {@code store} has seen it when the node starts).
     */
    public CutOverWatch.Settings cutOverSettings(ProviderBatchStore store) {
        ProviderSection provider = ProviderSection.of(config);
        long perCall = provider.provider().remote() ? config.get(Settings.MAX_OUTPUT_TOKENS) : 0;
        return new CutOverWatch.Settings(drain(), buffer(), batchLatency(observed(store)), perCall);
    }

    public DeadlineBuffer buffer() {
        return config.get(Settings.DEADLINE_BUFFER);
    }

    /** How many of this provider's latest provider batches the batch latency's p95 is taken over. */
    static final int OBSERVED_BATCHES = 100;

    /** How long this provider and model's latest provider batches took (those that ran their course), from {@code store}. */
    public List<Duration> observed(ProviderBatchStore store) {
        ProviderSection provider = ProviderSection.of(config);
        if (!provider.provider().remote() || store == null) return List.of();
        return store.providerBatchDurations(new ProviderBatchStore.ProviderBatchDurationsParams(provider.provider().name(),
                provider.model(), OBSERVED_BATCHES));
    }

    /**
     * The planner of this provider and model's lanes, as submissions ask it; the batch latency is the p95 of what
     * {@code store} has seen this provider's batches take (read at each plan), else batch-latency-assumed.
     */
    public LanePlans plans(Clock clock, ProviderBatchStore store) {
        LanePlanner planner = new LanePlanner(clock);
        ProviderSection provider = ProviderSection.of(config);
        long perCall = provider.provider().remote() ? config.get(Settings.MAX_OUTPUT_TOKENS) : Long.MAX_VALUE;
        LaneOffer offer = offer();
        LanePrices prices = prices();
        RealtimeDrain drain = drain();
        DeadlineBuffer buffer = buffer();
        String name = provider.provider().name();
        return new LanePlans() {
            @Override
            public long outputTokensPerCall() {
                return perCall;
            }

            @Override
            public LanePlanner.Plan plan(List<LanePlanner.Meeting> meetings, LaneChoice choice, Instant deadline) {
                return planner.plan(new LanePlanner.Request(meetings, choice, name, offer, prices, drain,
                        batchLatency(observed(store)), deadline, buffer));
            }
        };
    }

}
