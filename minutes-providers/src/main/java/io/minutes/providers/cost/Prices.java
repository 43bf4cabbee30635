package io.minutes.providers.cost;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

/**
 * What calls cost: USD per million input and output tokens, or per audio minute, by model. The
 * built-in table holds the providers' published list prices for common models (standard tier, no
 * batch or cache discounts); {@link #parse} lays user entries over it. A model is found by its exact
 * name, else by the longest table entry its name starts with (so {@code gpt-4o-2024-08-06} is priced
 * as {@code gpt-4o}, {@code gpt-4o-mini-2024-07-18} as {@code gpt-4o-mini}); a prefix such as
 * {@code openai/} (LiteLLM) is ignored. An unknown model costs 0, with one warning per model.
 *
 * <p>Lanes ({@link Lane}): the batch APIs of OpenAI and Anthropic and OpenAI's flex tier charge half the
 * realtime rate (both providers' pricing pages), so a model's batch and flex price is half its realtime price
 * unless an entry {@code batch:MODEL=IN/OUT} or {@code flex:MODEL=IN/OUT} says otherwise. Cached input tokens
 * (OpenAI {@code prompt_tokens_details.cached_tokens}, Anthropic {@code cache_read_input_tokens}) cost the
 * model's cached-input price ({@code cached:MODEL=IN} per million at the realtime rate), with the lane's
 * discount on top. Input tokens written to the prompt cache (Anthropic {@code cache_creation_input_tokens}) cost
 * the model's cache-write price ({@code cache-write:MODEL=IN} per million at the realtime rate; by default 1.25 times
 * the input price for Anthropic's models, its 5-minute cache, and the input price for others, which charge no
 * more for a write), with the lane's discount on top likewise. {@link #atLane} gives the table as one lane sees it;
 * {@link #offersFlex} says which models take flex.
 */
public final class Prices {
    private static final Logger log = LoggerFactory.getLogger(Prices.class);

    /** Per million input tokens, per million output tokens, per audio minute (0 where it does not apply). */
    public record Price(double inputPerMillion, double outputPerMillion, double perAudioMinute) {
        public static Price tokens(double in, double out) {
            return new Price(in, out, 0);
        }

        public static Price audio(double perMinute) {
            return new Price(0, 0, perMinute);
        }
    }

    /** How a call was sent, and so its rate: realtime (list price), OpenAI's flex tier, a provider batch. */
    public enum Lane {
        REALTIME, FLEX, BATCH;

        /** The share of the realtime price a lane charges when no entry names its price (half, for both providers). */
        double defaultShare() {
            return this == REALTIME ? 1.0 : 0.5;
        }
    }

    /**
     * A call's tokens as the provider's {@code usage} tells them: {@code input} counts every prompt token, of which
     * {@code cacheRead} were read from the provider's prompt cache and {@code cacheWrite} written to it.
     */
    public record Tokens(long input, long cacheRead, long cacheWrite, long output) {
        public static final Tokens NONE = new Tokens(0, 0, 0, 0);

        public static Tokens of(long input, long output) {
            return new Tokens(input, 0, 0, output);
        }

        public Tokens plus(Tokens other) {
            return new Tokens(input + other.input, cacheRead + other.cacheRead, cacheWrite + other.cacheWrite,
                    output + other.output);
        }

        public boolean isEmpty() {
            return input == 0 && output == 0;
        }
    }

    /** The built-in table; the default of the {@code prices} setting. */
    public static final String BUILT_IN = "built-in";

    private static final Map<String, Price> DEFAULTS = defaults();
    /** Cached input at realtime, USD per million, by model family (the providers' pricing pages). */
    private static final Map<String, Double> CACHED_DEFAULTS = cachedDefaults();
    /**
     * A cache write's price as a share of the model's input price, by model family, where a provider charges more
     * than input for it: Anthropic, 1.25 for its 5-minute cache (docs.anthropic.com, prompt caching, pricing).
     */
    private static final Map<String, Double> CACHE_WRITE_SHARE = Map.of("claude", 1.25);
    /**
     * The models OpenAI takes flex calls for (its flex processing guide and pricing page: o3, o4-mini, the gpt-5
     * family), by family as prices are found; false marks a family inside one that does not (o3-mini). A
     * {@code flex:MODEL=IN/OUT} entry offers flex for any other model.
     */
    private static final Map<String, Boolean> FLEX_MODELS = Map.of("o3", true, "o3-mini", false, "o4-mini", true,
            "gpt-5", true, "gpt-5-mini", true, "gpt-5-nano", true, "gpt-5-chat", false);

    private final Map<String, Price> table;
    private final Map<Lane, Map<String, Price>> laneTables;
    private final Map<String, Double> cached;
    private final Map<String, Double> cacheWrites;
    private final Lane lane;
    private final Set<String> warned;

    private Prices(Map<String, Price> table, Map<Lane, Map<String, Price>> laneTables, Map<String, Double> cached,
                   Map<String, Double> cacheWrites, Lane lane, Set<String> warned) {
        this.table = Map.copyOf(table);
        this.laneTables = Map.copyOf(laneTables);
        this.cached = Map.copyOf(cached);
        this.cacheWrites = Map.copyOf(cacheWrites);
        this.lane = lane;
        this.warned = warned;
    }

    private Prices(Map<String, Price> table, Map<Lane, Map<String, Price>> laneTables, Map<String, Double> cached,
                   Map<String, Double> cacheWrites) {
        this(table, laneTables, cached, cacheWrites, Lane.REALTIME, ConcurrentHashMap.newKeySet());
    }

    public static Prices builtIn() {
        return new Prices(DEFAULTS, Map.of(), CACHED_DEFAULTS, Map.of());
    }

    /** The same table, costing calls at {@code lane}'s rate ({@link #tokensCost}); {@link #find} stays the realtime price. */
    public Prices atLane(Lane lane) {
        return new Prices(table, laneTables, cached, cacheWrites, lane, warned);
    }

    public Lane lane() {
        return lane;
    }

    /**
     * {@code built-in}, or entries {@code model=IN/OUT} (USD per million input / output tokens) and
     * {@code model=USD/min} (per audio minute), comma separated, over the built-in table.
     *
     * @throws IllegalArgumentException naming the entry that cannot be read and the expected form
     */
    public static Prices parse(String spec) {
        Map<String, Price> table = new LinkedHashMap<>(DEFAULTS);
        Map<Lane, Map<String, Price>> lanes = new java.util.EnumMap<>(Lane.class);
        Map<String, Double> cached = new LinkedHashMap<>(CACHED_DEFAULTS);
        Map<String, Double> cacheWrites = new LinkedHashMap<>();
        String s = spec == null ? "" : spec.strip();
        if (s.isEmpty() || s.equalsIgnoreCase(BUILT_IN)) return new Prices(table, lanes, cached, cacheWrites);
        for (String raw : s.split(",")) {
            String entry = raw.strip();
            if (entry.isEmpty()) continue;
            int eq = entry.indexOf('=');
            String model = eq > 0 ? entry.substring(0, eq).strip().toLowerCase(Locale.ROOT) : "";
            String value = eq > 0 ? entry.substring(eq + 1).strip().toLowerCase(Locale.ROOT) : "";
            String[] parts = value.split("/");
            try {
                if (model.startsWith("cached:") || model.startsWith("cache-write:")) {
                    String m = model.substring(model.indexOf(':') + 1).strip();
                    if (m.isEmpty() || value.contains("/")) throw new NumberFormatException();
                    (model.startsWith("cached:") ? cached : cacheWrites).put(m, nonNegative(value));
                    continue;
                }
                Lane laneOfEntry = model.startsWith("batch:") ? Lane.BATCH : model.startsWith("flex:") ? Lane.FLEX : null;
                if (laneOfEntry != null) {
                    String m = model.substring(model.indexOf(':') + 1).strip();
                    if (m.isEmpty() || parts.length != 2 || parts[1].strip().equals("min")) throw new NumberFormatException();
                    lanes.computeIfAbsent(laneOfEntry, l -> new LinkedHashMap<>())
                            .put(m, Price.tokens(nonNegative(parts[0]), nonNegative(parts[1])));
                    continue;
                }
                if (model.isEmpty() || parts.length != 2) throw new NumberFormatException();
                if (parts[1].strip().equals("min")) {
                    table.put(model, Price.audio(nonNegative(parts[0])));
                } else {
                    table.put(model, Price.tokens(nonNegative(parts[0]), nonNegative(parts[1])));
                }
            } catch (NumberFormatException e) {
                throw new IllegalArgumentException("entry '" + entry + "' must be MODEL=IN/OUT (USD per million input"
                        + " and output tokens, e.g. gpt-4o=2.5/10), MODEL=USD/min (per audio minute, e.g. whisper-1=0.006/min),"
                        + " batch:MODEL=IN/OUT or flex:MODEL=IN/OUT (that lane's price), cached:MODEL=IN (USD per million"
                        + " cached input tokens) or cache-write:MODEL=IN (USD per million input tokens written to the cache)");
            }
        }
        return new Prices(table, lanes, cached, cacheWrites);
    }

    /** The realtime price of {@code model}, if the table knows it. */
    public Optional<Price> find(String model) {
        return byFamily(table, model);
    }

    /** The entry of {@code model}: its exact name, else the longest entry its name starts with. */
    private static <T> Optional<T> byFamily(Map<String, T> entries, String model) {
        if (model == null) return Optional.empty();
        String m = model.strip().toLowerCase(Locale.ROOT);
        int slash = m.lastIndexOf('/');
        if (slash >= 0) m = m.substring(slash + 1);
        T exact = entries.get(m);
        if (exact != null) return Optional.of(exact);
        String best = null;
        for (String key : entries.keySet()) {
            if (m.startsWith(key) && (best == null || key.length() > best.length())) best = key;
        }
        return Optional.ofNullable(best == null ? null : entries.get(best));
    }

    /**
     * USD for a chat call at this table's lane; 0 (and a warning, once per model) for a model the table does not
     * know.
     */
    public double tokensCost(String model, long inputTokens, long outputTokens) {
        return tokensCost(model, inputTokens, 0, outputTokens);
    }

    /**
     * USD for a chat call at this table's lane, {@code cachedInputTokens} of its {@code inputTokens} read from the
     * provider's prompt cache (at the cached-input price).
     */
    public double tokensCost(String model, long inputTokens, long cachedInputTokens, long outputTokens) {
        return tokensCost(model, new Tokens(inputTokens, cachedInputTokens, 0, outputTokens));
    }

    /**
     * USD for a chat call at this table's lane: cache reads at the cached-input price, cache writes at the cache-write
     * price, the rest of the input at the input price; 0 (and a warning, once per model) for a model the table does not
     * know.
     */
    public double tokensCost(String model, Tokens tokens) {
        return priceOrWarn(model).map(realtime -> {
            Price p = atLane(realtime, model);
            long read = Math.max(0, Math.min(tokens.cacheRead(), tokens.input()));
            long written = Math.max(0, Math.min(tokens.cacheWrite(), tokens.input() - read));
            double laneShare = realtime.inputPerMillion() == 0 ? lane.defaultShare() : p.inputPerMillion() / realtime.inputPerMillion();
            // never dearer than uncached input (a user's realtime entry may be below the built-in cached price)
            double readPerMillion = Math.min(p.inputPerMillion(),
                    byFamily(cached, model).map(c -> c * laneShare).orElse(p.inputPerMillion()));
            double writePerMillion = byFamily(cacheWrites, model)
                    .orElseGet(() -> realtime.inputPerMillion() * byFamily(CACHE_WRITE_SHARE, model).orElse(1.0)) * laneShare;
            return ((tokens.input() - read - written) * p.inputPerMillion() + read * readPerMillion
                    + written * writePerMillion + tokens.output() * p.outputPerMillion()) / 1e6;
        }).orElse(0.0);
    }

    /**
     * The most a call of {@code inputTokens} and up to {@code maxOutputTokens} may cost at this table's lane, none of
     * its input counted as cached: what a budget reserves before the call is sent (an analyzer's estimate, a provider
     * batch's line). 0 for a model the table does not know (its cost is warned about when it is counted).
     */
    public double mostCost(String model, long inputTokens, long maxOutputTokens) {
        return find(model).map(realtime -> {
            Price p = atLane(realtime, model);
            return (inputTokens * p.inputPerMillion() + maxOutputTokens * p.outputPerMillion()) / 1e6;
        }).orElse(0.0);
    }

    /** The price of {@code model} at this table's lane: an entry naming it, else the lane's share of {@code realtime}. */
    private Price atLane(Price realtime, String model) {
        return laneFind(lane, model).orElse(Price.tokens(realtime.inputPerMillion() * lane.defaultShare(),
                realtime.outputPerMillion() * lane.defaultShare()));
    }

    /**
     * Whether OpenAI's flex tier takes calls of {@code model}: a {@code flex:} entry names its price, or the model is
     * one OpenAI offers flex for.
     */
    public boolean offersFlex(String model) {
        return laneFind(Lane.FLEX, model).isPresent() || byFamily(FLEX_MODELS, model).orElse(false);
    }

    /** The price an entry names for {@code lane}, if one does. */
    private Optional<Price> laneFind(Lane lane, String model) {
        Map<String, Price> entries = laneTables.get(lane);
        return entries == null ? Optional.empty() : byFamily(entries, model);
    }

    /** USD for transcribing {@code minutes} of audio; 0 (and a warning, once) for an unknown model. */
    public double audioCost(String model, double minutes) {
        return priceOrWarn(model).map(p -> minutes * p.perAudioMinute()).orElse(0.0);
    }

    private Optional<Price> priceOrWarn(String model) {
        Optional<Price> p = find(model);
        if (p.isEmpty() && warned.add(String.valueOf(model))) {
            log.warn("no price known for model '{}': its cost is counted as 0. Add it with --prices {}=IN/OUT "
                    + "(USD per million input/output tokens)", model, model);
        }
        return p;
    }

    private static double nonNegative(String s) {
        double v = Double.parseDouble(s.strip());
        if (!(v >= 0) || Double.isInfinite(v)) throw new NumberFormatException();
        return v;
    }

    private static Map<String, Double> cachedDefaults() {
        Map<String, Double> m = new LinkedHashMap<>();
        // OpenAI cached input, USD per 1M tokens (platform.openai.com/docs/pricing)
        m.put("gpt-5", 0.125);
        m.put("gpt-5-mini", 0.025);
        m.put("gpt-5-nano", 0.005);
        m.put("gpt-4.1", 0.50);
        m.put("gpt-4.1-mini", 0.10);
        m.put("gpt-4.1-nano", 0.025);
        m.put("gpt-4o", 1.25);
        m.put("gpt-4o-mini", 0.075);
        m.put("o3", 0.50);
        m.put("o4-mini", 0.275);
        // Anthropic cache reads: a tenth of the input price (docs.anthropic.com, prompt caching)
        m.put("claude-opus-4-5", 0.50);
        m.put("claude-opus-4-1", 1.50);
        m.put("claude-opus-4", 1.50);
        m.put("claude-sonnet-4-5", 0.30);
        m.put("claude-sonnet-4", 0.30);
        m.put("claude-3-7-sonnet", 0.30);
        m.put("claude-haiku-4-5", 0.10);
        m.put("claude-3-5-haiku", 0.08);
        return m;
    }

    private static Map<String, Price> defaults() {
        Map<String, Price> m = new LinkedHashMap<>();
        // OpenAI list prices, USD per 1M tokens (platform.openai.com/docs/pricing)
        m.put("gpt-5", Price.tokens(1.25, 10.00));
        m.put("gpt-5-mini", Price.tokens(0.25, 2.00));
        m.put("gpt-5-nano", Price.tokens(0.05, 0.40));
        m.put("gpt-4.1", Price.tokens(2.00, 8.00));
        m.put("gpt-4.1-mini", Price.tokens(0.40, 1.60));
        m.put("gpt-4.1-nano", Price.tokens(0.10, 0.40));
        m.put("gpt-4o", Price.tokens(2.50, 10.00));
        m.put("gpt-4o-mini", Price.tokens(0.15, 0.60));
        m.put("o3", Price.tokens(2.00, 8.00));
        m.put("o4-mini", Price.tokens(1.10, 4.40));
        m.put("gpt-4-turbo", Price.tokens(10.00, 30.00));
        m.put("gpt-3.5-turbo", Price.tokens(0.50, 1.50));
        // Anthropic list prices, USD per 1M tokens (docs.anthropic.com, pricing)
        m.put("claude-opus-4-5", Price.tokens(5.00, 25.00));
        m.put("claude-opus-4-1", Price.tokens(15.00, 75.00));
        m.put("claude-opus-4", Price.tokens(15.00, 75.00));
        m.put("claude-sonnet-4-5", Price.tokens(3.00, 15.00));
        m.put("claude-sonnet-4", Price.tokens(3.00, 15.00));
        m.put("claude-3-7-sonnet", Price.tokens(3.00, 15.00));
        m.put("claude-haiku-4-5", Price.tokens(1.00, 5.00));
        m.put("claude-3-5-haiku", Price.tokens(0.80, 4.00));
        // speech to text, USD per audio minute
        m.put("whisper-1", Price.audio(0.006));
        m.put("gpt-4o-transcribe", Price.audio(0.006));
        m.put("gpt-4o-mini-transcribe", Price.audio(0.003));
        return m;
    }
}
