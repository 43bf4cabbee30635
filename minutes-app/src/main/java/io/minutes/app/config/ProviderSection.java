package io.minutes.app.config;

import io.minutes.core.port.Analyzer;
import io.minutes.core.port.CallAdmission;
import io.minutes.core.port.RateLimitObserver;
import io.minutes.providers.ProviderAnalyzers;
import io.minutes.providers.http.ProviderHttp;
import io.minutes.providers.llm.LlmAnalyzer;
import io.minutes.providers.llm.ModelLimits;

import java.time.Clock;
import java.util.List;
import java.util.Map;

/**
 * The provider section: who writes the minutes (a {@link Providers} entry) and how it is reached: model,
 * base-url, api-key-env, max-output-tokens, context-tokens, structured-output, the timeouts and prices.
 * {@link #check(Map)} refuses what cannot work (no key for the official API, a context smaller than the
 * answer) without building anything; {@link #analyzer} builds the provider's analyzer.
 */
public record ProviderSection(Config config, Providers.Provider provider) {

    public static final Section SECTION = new Section("provider", List.of(Settings.PROVIDER, Settings.MODEL,
            Settings.BASE_URL, Settings.API_KEY_ENV, Settings.MAX_OUTPUT_TOKENS, Settings.CONTEXT_TOKENS,
            Settings.STRUCTURED_OUTPUT, Settings.REQUEST_TIMEOUT, Settings.CONNECT_TIMEOUT, Settings.PRICES),
            (config, problems) -> of(config).fit().ifPresent(problems::add));

    public static ProviderSection of(Config config) {
        return new ProviderSection(config, Providers.named(config.get(Settings.PROVIDER)));
    }

    /** The model: the configured one, or the provider's default; a provider with no models is its own name. */
    public String model() {
        return provider.remote() ? orDefault(config.get(Settings.MODEL), provider.defaultModel()) : provider.name();
    }

    public String baseUrl() {
        return orDefault(config.get(Settings.BASE_URL), provider.baseUrl());
    }

    /** The environment variable holding the API key; null for a provider that takes none. */
    public String apiKeyEnv() {
        String named = config.get(Settings.API_KEY_ENV);
        return named.equals(Settings.AUTO) ? provider.apiKeyEnv() : named;
    }

    /**
     * Refuses, naming the settings, what the provider cannot work with: no API key in {@code env} for its
     * official API, or a context window no larger than the answer. Builds nothing.
     */
    public void check(Map<String, String> env) throws ConfigException {
        if (!provider.remote()) return;
        if (key(env) == null && baseUrl().equals(provider.baseUrl())) {
            String keyEnv = apiKeyEnv();
            throw new ConfigException(List.of("provider " + provider.name() + " needs an API key for " + baseUrl() + ": set "
                    + keyEnv + (keyEnv.equals(provider.apiKeyEnv()) ? " (or name another variable with --api-key-env)" : "")
                    + ", or give --base-url for a server that needs none (" + provider.keylessServers() + ")"));
        }
        var unfit = fit();
        if (unfit.isPresent()) throw new ConfigException(List.of(unfit.get()));
    }

    /**
     * The provider's analyzer, after {@link #check}, telling {@code observer} what every response says about
     * the provider's rate limits and admitting each call by {@code admission}.
     */
    public Analyzer analyzer(Map<String, String> env, RateLimitObserver observer, CallAdmission admission)
            throws ConfigException {
        check(env);
        RateLimitObserver told = RateLimitObserver.neverFailing(observer);
        return provider.analyzer().create(new Providers.AnalyzerParts(config, provider.remote() ? remote(env, told) : null,
                told, admission));
    }

    /**
     * The provider's batch API for its model (openai: Batch API; anthropic: Message Batches), after {@link #check};
     * empty for a provider without one (the batch lane then has nowhere to send, and its meetings wait).
     */
    public java.util.Optional<io.minutes.core.port.ProviderBatches> batches(Map<String, String> env) throws ConfigException {
        if (!provider.remote()) return java.util.Optional.empty();
        check(env);
        ProviderAnalyzers.Common common = remote(env, RateLimitObserver.NONE);
        return switch (provider.name()) {
            case "openai" -> java.util.Optional.of(ProviderAnalyzers.openAiBatches(common,
                    io.minutes.providers.openai.OpenAiChat.StructuredOutput.valueOf(
                            config.get(Settings.STRUCTURED_OUTPUT).toUpperCase(java.util.Locale.ROOT)),
                    config.has(Settings.ENQUEUED_TOKEN_LIMIT) ? config.get(Settings.ENQUEUED_TOKEN_LIMIT) : 0,
                    io.minutes.providers.openai.OpenAiBatches.FileExpiry.of(config.get(Settings.RETENTION))));
            case "anthropic" -> java.util.Optional.of(ProviderAnalyzers.anthropicBatches(common));
            default -> java.util.Optional.empty();
        };
    }

    /** The problem of a context window no larger than the answer (max-output-tokens), naming both settings. */
    private java.util.Optional<String> fit() {
        if (!provider.remote()) return java.util.Optional.empty();
        Long context = config.get(Settings.CONTEXT_TOKENS);
        try {
            new LlmAnalyzer.Options(config.get(Settings.MAX_OUTPUT_TOKENS), context != null ? context : ModelLimits.contextTokens(model()));
            return java.util.Optional.empty();
        } catch (IllegalArgumentException e) {
            return java.util.Optional.of("settings 'context-tokens' and 'max-output-tokens': " + e.getMessage());
        }
    }

    private String key(Map<String, String> env) {
        String key = env.get(apiKeyEnv());
        return key == null || key.isBlank() ? null : key;
    }

    private ProviderAnalyzers.Common remote(Map<String, String> env, RateLimitObserver observer) {
        String keyEnv = apiKeyEnv();
        String authHint = "set " + keyEnv + " to a valid key"
                + (keyEnv.equals(provider.apiKeyEnv()) ? " or name another variable with --api-key-env" : "");
        return new ProviderAnalyzers.Common(baseUrl(), model(), key(env), authHint, config.get(Settings.MAX_OUTPUT_TOKENS),
                config.get(Settings.CONTEXT_TOKENS),
                new ProviderHttp.Timeouts(config.get(Settings.CONNECT_TIMEOUT), config.get(Settings.REQUEST_TIMEOUT)),
                config.get(Settings.PRICES), observer, Clock.systemUTC());
    }

    private static String orDefault(String value, String byDefault) {
        return value.equalsIgnoreCase(Settings.AUTO) ? byDefault : value;
    }
}
