package io.minutes.providers;

import io.minutes.core.port.Analyzer;
import io.minutes.core.port.CallAdmission;
import io.minutes.core.port.ProviderBatches;
import io.minutes.providers.anthropic.AnthropicBatches;
import io.minutes.providers.batch.LineAnswers;
import io.minutes.providers.batch.RecentBatches;
import io.minutes.providers.openai.OpenAiBatches;
import io.minutes.core.port.RateLimitObserver;
import io.minutes.providers.anthropic.AnthropicChat;
import io.minutes.providers.cost.Prices;
import io.minutes.providers.http.ProviderHttp;
import io.minutes.providers.llm.LlmAnalyzer;
import io.minutes.providers.llm.ModelLimits;
import io.minutes.providers.openai.OpenAiChat;

import java.time.Clock;
import java.time.Duration;

/** Builds the HTTP analyzers: one {@link ProviderHttp} (one authentication latch) per analyzer. */
public final class ProviderAnalyzers {
    public static final String OPENAI = "openai";
    public static final String ANTHROPIC = "anthropic";
    public static final String OPENAI_BASE_URL = "https://api.openai.com/v1";
    public static final String ANTHROPIC_BASE_URL = "https://api.anthropic.com";
    public static final String OPENAI_DEFAULT_MODEL = "gpt-4o-mini";
    public static final String ANTHROPIC_DEFAULT_MODEL = "claude-sonnet-4-5";

    /**
     * What every HTTP analyzer needs. {@code contextTokens} null: the model's known context window.
     * {@code authHint} names what to fix after a 401/403, e.g. "set OPENAI_API_KEY or --api-key-env".
     */
    public record Common(String baseUrl, String model, String apiKey, String authHint, int maxOutputTokens,
                         Long contextTokens, ProviderHttp.Timeouts timeouts, Prices prices,
                         RateLimitObserver observer, Clock clock) {
        @Override
        public String toString() {
            return "ProviderAnalyzers.Common[baseUrl=" + baseUrl + ", model=" + model + ", apiKey=" + (apiKey == null ? "none" : "****")
                    + ", maxOutputTokens=" + maxOutputTokens + ", contextTokens=" + contextTokens + ", timeouts=" + timeouts + "]";
        }

        LlmAnalyzer.Options options() {
            return new LlmAnalyzer.Options(maxOutputTokens,
                    contextTokens != null ? contextTokens : ModelLimits.contextTokens(model));
        }

        ProviderHttp http(String provider) {
            return new ProviderHttp(provider, apiKey, authHint, timeouts, observer, clock);
        }
    }

    private ProviderAnalyzers() {
    }

    public static Analyzer openAi(Common c, OpenAiChat.StructuredOutput structuredOutput) {
        return openAi(c, structuredOutput, CallAdmission.NONE);
    }

    /** Each call admitted by {@code admission} (the throttle the observer of {@code c} is). */
    public static Analyzer openAi(Common c, OpenAiChat.StructuredOutput structuredOutput, CallAdmission admission) {
        OpenAiChat chat = new OpenAiChat(new OpenAiChat.Settings(c.baseUrl(), c.model(), c.apiKey(),
                c.maxOutputTokens(), structuredOutput), c.http(OPENAI));
        return new LlmAnalyzer(chat, c.options(), c.prices(), admission);
    }

    public static Analyzer anthropic(Common c) {
        return anthropic(c, CallAdmission.NONE);
    }

    /** Each call admitted by {@code admission} (the throttle the observer of {@code c} is). */
    public static Analyzer anthropic(Common c, CallAdmission admission) {
        AnthropicChat chat = new AnthropicChat(new AnthropicChat.Settings(c.baseUrl(), c.model(), c.apiKey(),
                c.maxOutputTokens()), c.http(ANTHROPIC));
        return new LlmAnalyzer(chat, c.options(), c.prices(), admission);
    }

    /**
     * The least time a flex call may take before it times out: OpenAI's flex tier answers more slowly, and its guide
     * raises its SDK's timeout to 15 minutes for it.
     */
    public static final Duration FLEX_MIN_REQUEST_TIMEOUT = Duration.ofMinutes(15);

    /**
     * {@link #openAi} whose requests in the flex lane ({@link Analyzer.Request#flex()}) are sent with {@code
     * service_tier: flex} and cost the flex rate ({@link Prices.Lane#FLEX}), each waited for up to the request timeout
     * of {@code c} but at least {@link #FLEX_MIN_REQUEST_TIMEOUT}. A flex call refused for capacity fails with {@code
     * FLEX_UNAVAILABLE} (transient, no attempt used, the provider not paused), so the engine can wait or send it in
     * the realtime lane; one answered says so ({@link Analyzer.Result#lane()}) with its list price.
     */
    public static Analyzer openAiWithFlex(Common c, OpenAiChat.StructuredOutput structuredOutput, CallAdmission admission) {
        OpenAiChat.Settings settings = new OpenAiChat.Settings(c.baseUrl(), c.model(), c.apiKey(), c.maxOutputTokens(), structuredOutput);
        ProviderHttp http = c.http(OPENAI);
        Duration flexTimeout = http.requestTimeout().compareTo(FLEX_MIN_REQUEST_TIMEOUT) < 0 ? FLEX_MIN_REQUEST_TIMEOUT
                : http.requestTimeout();
        return new LlmAnalyzer(new OpenAiChat(settings, http), c.options(), c.prices(), admission)
                .withFlex(new OpenAiChat(settings, http.withRequestTimeout(flexTimeout), OpenAiChat.FLEX));
    }

    /**
     * OpenAI's Batch API for {@code c}'s model: lines with exactly the realtime request body, answers read and
     * priced ({@link Prices.Lane#BATCH}) as batch lines. {@code enqueuedTokenLimit}: the prompt tokens this model's
     * batches may hold waiting at OpenAI (0: not known); {@code expiry}: how long OpenAI keeps the batch's files when
     * they are not deleted (from the retention setting).
     */
    public static ProviderBatches openAiBatches(Common c, OpenAiChat.StructuredOutput structuredOutput, long enqueuedTokenLimit,
                                                OpenAiBatches.FileExpiry expiry) {
        OpenAiChat.Settings settings = new OpenAiChat.Settings(c.baseUrl(), c.model(), c.apiKey(), c.maxOutputTokens(), structuredOutput);
        ProviderHttp http = c.http(OPENAI);
        OpenAiChat chat = new OpenAiChat(settings, http);
        LineAnswers answers = new LineAnswers(chat, new LlmAnalyzer(chat, c.options(), c.prices(), CallAdmission.NONE), http, c.prices());
        return new OpenAiBatches(settings, chat, answers, http, enqueuedTokenLimit, new RecentBatches(RecentBatches.DEFAULT_GRACE, c.clock()),
                expiry);
    }

    /** Anthropic's Message Batches for {@code c}'s model, with exactly the realtime forced-tool request. */
    public static ProviderBatches anthropicBatches(Common c) {
        AnthropicChat.Settings settings = new AnthropicChat.Settings(c.baseUrl(), c.model(), c.apiKey(), c.maxOutputTokens());
        ProviderHttp http = c.http(ANTHROPIC);
        AnthropicChat chat = new AnthropicChat(settings, http);
        LineAnswers answers = new LineAnswers(chat, new LlmAnalyzer(chat, c.options(), c.prices(), CallAdmission.NONE), http, c.prices());
        return new AnthropicBatches(settings, chat, answers, http, new RecentBatches(RecentBatches.DEFAULT_GRACE, c.clock()));
    }
}
