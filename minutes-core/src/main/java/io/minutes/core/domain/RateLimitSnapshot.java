package io.minutes.core.domain;

import java.time.Duration;
import java.time.Instant;

/**
 * What a provider said about its rate limits on one response (OpenAI {@code x-ratelimit-*},
 * Anthropic {@code anthropic-ratelimit-*}), in one shape for the scheduler. Every field is null
 * when the provider did not say. {@code *Reset} is how long until that allowance is full again.
 */
public record RateLimitSnapshot(
        Instant observedAt,
        Long requestsLimit, Long requestsRemaining, Duration requestsReset,
        Long tokensLimit, Long tokensRemaining, Duration tokensReset,
        Long inputTokensLimit, Long inputTokensRemaining, Duration inputTokensReset,
        Long outputTokensLimit, Long outputTokensRemaining, Duration outputTokensReset) {

    public boolean isEmpty() {
        return requestsLimit == null && requestsRemaining == null && tokensLimit == null
                && tokensRemaining == null && inputTokensLimit == null && inputTokensRemaining == null
                && outputTokensLimit == null && outputTokensRemaining == null;
    }
}
