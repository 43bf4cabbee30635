package io.minutes.core.engine;

import io.minutes.core.domain.Analysis;
import io.minutes.core.domain.Failure;
import io.minutes.core.domain.Lane;
import io.minutes.core.domain.Usage;

/** What running a meeting's pipeline once gave. */
public sealed interface StepOutcome {
    /**
     * Answered by calls in {@code lane} (null: none of a provider's lanes, as an offline analyzer's);
     * {@code listCostUsd}: what the usage costs at the realtime list price (null: its cost).
     */
    record Completed(Analysis analysis, Usage usage, Lane lane, Double listCostUsd) implements StepOutcome {
        public Completed(Analysis analysis, Usage usage) {
            this(analysis, usage, null, null);
        }
    }

    record Failed(Failure failure) implements StepOutcome {
    }

    /** Not processed, on purpose: {@code reason} says why (e.g. budget_exhausted). */
    record Skipped(String reason) implements StepOutcome {
    }
}
