package io.minutes.core.engine;

import io.minutes.core.domain.Analysis;
import io.minutes.core.domain.Failure;
import io.minutes.core.domain.Usage;

/** What running a meeting's pipeline once gave. */
public sealed interface StepOutcome {
    record Completed(Analysis analysis, Usage usage) implements StepOutcome {
    }

    record Failed(Failure failure) implements StepOutcome {
    }

    /** Not processed, on purpose: {@code reason} says why (e.g. budget_exhausted). */
    record Skipped(String reason) implements StepOutcome {
    }
}
