package io.minutes.app.config;

import io.minutes.core.engine.RetryPolicy;

import java.time.Duration;
import java.util.List;

/**
 * The retry section: max-attempts, retry-base-delay, retry-max-delay, read, checked together and made into
 * the engine's {@link RetryPolicy}. The one place that turns retry settings into the policy.
 */
public record RetrySection(int maxAttempts, Duration baseDelay, Duration maxDelay) {

    public static final Section SECTION = new Section("retry",
            List.of(Settings.MAX_ATTEMPTS, Settings.RETRY_BASE_DELAY, Settings.RETRY_MAX_DELAY), RetrySection::check);

    public static RetrySection of(Config config) {
        return new RetrySection(config.get(Settings.MAX_ATTEMPTS), config.get(Settings.RETRY_BASE_DELAY),
                config.get(Settings.RETRY_MAX_DELAY));
    }

    public RetryPolicy policy() {
        return RetryPolicy.builder().maxAttempts(maxAttempts).baseDelay(baseDelay).maxDelay(maxDelay).build();
    }

    /** The longest backoff may not be shorter than the first: the problem names both settings. */
    private static void check(Config config, List<String> problems) {
        RetrySection retry = of(config);
        if (retry.maxDelay().compareTo(retry.baseDelay()) < 0) {
            Config.Value base = config.describe(Settings.RETRY_BASE_DELAY);
            Config.Value max = config.describe(Settings.RETRY_MAX_DELAY);
            problems.add("settings 'retry-max-delay' " + max.raw() + " (" + max.source() + ") and 'retry-base-delay' "
                    + base.raw() + " (" + base.source() + ") disagree: the longest backoff is shorter than the first one;"
                    + " raise retry-max-delay or lower retry-base-delay");
        }
    }
}
