package io.minutes.core.port;

import io.minutes.core.domain.Analysis;

import java.time.Instant;
import java.util.Optional;

/**
 * Analyses already paid for, keyed by what makes them the same answer: the normalised transcript's
 * content hash, the analysis version (prompts and schema), the provider and the model, kept apart per
 * tenant (a tenant must not learn that another sent the same transcript). A re-run or a retry finds its
 * analysis here and calls no provider.
 */
public interface ResultCache {

    /** Bump when prompts or the analysis schema change, so older answers are not reused. */
    String ANALYSIS_VERSION = "2"; // 2: every item cites its evidence (issue 18)

    /** {@code tenant}: whose answer it is (null: no tenant); one tenant's answers are never found by another. */
    record ResultKey(String contentHash, String analysisVersion, String provider, String model, String tenant) {
    }

    Optional<Analysis> resultFind(ResultKey key);

    /** Stores (or overwrites) the analysis under {@code key}. */
    void resultPut(ResultKey key, Analysis analysis, Instant now);

    ResultCache NONE = new ResultCache() {
        @Override
        public Optional<Analysis> resultFind(ResultKey key) {
            return Optional.empty();
        }

        @Override
        public void resultPut(ResultKey key, Analysis analysis, Instant now) {
        }
    };
}
