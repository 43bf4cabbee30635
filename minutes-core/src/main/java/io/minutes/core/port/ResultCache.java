package io.minutes.core.port;

import io.minutes.core.domain.Analysis;

import java.time.Instant;
import java.util.Optional;

/**
 * Analyses already paid for, keyed by what makes them the same answer: the normalised transcript's
 * content hash, the analysis version (prompts and schema), the provider and the model. A re-run or a
 * retry finds its analysis here and calls no provider.
 */
public interface ResultCache {

    /** Bump when prompts or the analysis schema change, so older answers are not reused. */
    String ANALYSIS_VERSION = "1";

    record ResultKey(String contentHash, String analysisVersion, String provider, String model) {
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
