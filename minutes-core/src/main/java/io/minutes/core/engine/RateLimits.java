package io.minutes.core.engine;

/**
 * A provider's per-minute limits as the user configured them; 0 means not configured (then the
 * provider's rate-limit headers say, or there is no limit). Input and output token limits are for
 * providers that count them apart (Anthropic); {@code tokensPerMinute} counts both.
 */
public record RateLimits(long requestsPerMinute, long tokensPerMinute, long inputTokensPerMinute,
                         long outputTokensPerMinute) {
    public static final RateLimits NONE = new RateLimits(0, 0, 0, 0);

    public RateLimits {
        if (requestsPerMinute < 0 || tokensPerMinute < 0 || inputTokensPerMinute < 0 || outputTokensPerMinute < 0) {
            throw new IllegalArgumentException("rate limits must be >= 0 (0 = not configured): " + this);
        }
    }
}
