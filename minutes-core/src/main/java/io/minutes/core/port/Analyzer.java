package io.minutes.core.port;

import io.minutes.core.domain.Analysis;
import io.minutes.core.domain.Transcript;
import io.minutes.core.domain.Usage;

/**
 * Turns a transcript into minutes. Implementations are called from many virtual threads at once.
 * A failure the caller should know about is thrown as {@link AnalyzerException} with its kind;
 * anything else thrown is treated as a bug and fails the meeting permanently.
 */
public interface Analyzer {

    /** The provider name as configured: local, sim, openai, anthropic. */
    String name();

    Result analyze(Request request) throws AnalyzerException;

    /**
     * What {@link #analyze} is expected to use, before it is sent, for rate-limit admission and
     * budgets: the input tokens (counted with the model's tokenizer, or a documented approximation)
     * and the output tokens reserved ({@code max_tokens}). A local analyzer uses none.
     */
    default Estimate estimate(Request request) {
        return Estimate.NONE;
    }

    record Estimate(long inputTokens, long maxOutputTokens, double maxCostUsd) {
        public static final Estimate NONE = new Estimate(0, 0, 0.0);

        public long totalTokens() {
            return inputTokens + maxOutputTokens;
        }
    }

    record Request(String meetingId, String title, Transcript transcript) {
    }

    record Result(Analysis analysis, Usage usage) {
    }
}
