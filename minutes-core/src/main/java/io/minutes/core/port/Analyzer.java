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
     * True when this analyzer takes the provider's admission for each call it makes ({@link CallAdmission}),
     * so that a throttling decorator does not admit the whole analysis again as one call. A decorator
     * that passes {@link #analyze} through says what its delegate says.
     */
    default boolean admitsEachCall() {
        return false;
    }

    /**
     * What {@link #analyze} is expected to use, before it is sent, for rate-limit admission and
     * budgets: the input tokens (counted with the model's tokenizer, or a documented approximation)
     * and the output tokens reserved ({@code max_tokens}). A local analyzer uses none.
     */
    default Estimate estimate(Request request) {
        return Estimate.NONE;
    }

    /**
     * {@code cached}: the result cache already holds the answer, so {@link #analyze} will call no
     * provider and cost nothing; the counts are still what a call would use (for a batch that
     * replaces its earlier results, whose cached answers are dropped first).
     */
    record Estimate(long inputTokens, long maxOutputTokens, double maxCostUsd, boolean cached) {
        public static final Estimate NONE = new Estimate(0, 0, 0.0);

        public Estimate(long inputTokens, long maxOutputTokens, double maxCostUsd) {
            this(inputTokens, maxOutputTokens, maxCostUsd, false);
        }

        public long totalTokens() {
            return inputTokens + maxOutputTokens;
        }

        public Estimate answeredFromCache() {
            return new Estimate(inputTokens, maxOutputTokens, maxCostUsd, true);
        }

        /** The most {@link #analyze} will cost: nothing when the answer is cached. */
        public double maxCostToPayUsd() {
            return cached ? 0.0 : maxCostUsd;
        }
    }

    /**
     * {@code tenant}: whose meeting it is (null: no tenant, as the CLI's and a keyless service's); an
     * answer kept for one tenant is never given to another.
     */
    record Request(String meetingId, String title, Transcript transcript, String tenant) {
        public Request(String meetingId, String title, Transcript transcript) {
            this(meetingId, title, transcript, null);
        }

        /** The same request about another transcript (a redacted one). */
        public Request withTranscript(Transcript other) {
            return new Request(meetingId, title, other, tenant);
        }
    }

    record Result(Analysis analysis, Usage usage) {
    }
}
