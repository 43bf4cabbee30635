package io.minutes.core.lane;

/**
 * Which lanes the configured provider and model take besides realtime.
 *
 * @param batch              the provider has a batch API Minutes drives (OpenAI, Anthropic)
 * @param flex               the provider and model take {@code service_tier: "flex"} (some OpenAI models)
 * @param sensitiveInBatches allow-sensitive names this provider, so a sensitive meeting may wait inside its
 *                           batches (results stay on the provider for up to 29 days)
 */
public record LaneOffer(boolean batch, boolean flex, boolean sensitiveInBatches) {
    public static final LaneOffer REALTIME_ONLY = new LaneOffer(false, false, false);
}
