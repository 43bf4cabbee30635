package io.minutes.core.lane;

import io.minutes.core.domain.Lane;
import java.util.Objects;

/**
 * What one model costs in each lane, USD per million tokens: the list (realtime) price, the flex price and the
 * batch price. Where the provider has no such lane, the list price stands in (it is never planned there anyway:
 * {@link LaneOffer} says which lanes exist).
 */
public record LanePrices(TokenPrice realtime, TokenPrice flex, TokenPrice batch) {

    /** USD per million input tokens and per million output tokens. */
    public record TokenPrice(double inputPerMillion, double outputPerMillion) {
        public TokenPrice {
            if (inputPerMillion < 0 || outputPerMillion < 0) {
                throw new IllegalArgumentException("prices must be >= 0, got " + inputPerMillion + "/" + outputPerMillion);
            }
        }

        public double cost(long inputTokens, long outputTokens) {
            return (inputTokens * inputPerMillion + outputTokens * outputPerMillion) / 1_000_000.0;
        }
    }

    public LanePrices {
        Objects.requireNonNull(realtime, "realtime");
        Objects.requireNonNull(flex, "flex");
        Objects.requireNonNull(batch, "batch");
    }

    /** One price in every lane (a provider with no cheaper lane). */
    public static LanePrices listOnly(TokenPrice list) {
        return new LanePrices(list, list, list);
    }

    public TokenPrice price(Lane lane) {
        return switch (lane) {
            case REALTIME -> realtime;
            case FLEX -> flex;
            case BATCH -> batch;
        };
    }
}
