package io.minutes.core.port;

import io.minutes.core.domain.Analysis;
import io.minutes.core.domain.Lane;
import io.minutes.core.domain.Transcript;
import io.minutes.core.domain.Usage;
import io.minutes.core.style.Style;

import java.time.LocalDate;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;

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
     * Works out, once for the attempt and before any call, what every layer needs to know about this
     * request: the estimate of what it would use, on the transcript as it will be sent, and what the
     * layers found on the way (redaction, the result cache). {@link #analyze} of the returned request
     * works none of it out again. A decorator that changes what is sent, or answers without its delegate,
     * adds what it found to its delegate's preparation ({@link Prepared}); any other passes it through.
     */
    default Request prepare(Request request) {
        return request.withPrepared(Prepared.of(estimate(request)));
    }

    /**
     * {@code tenant}: whose meeting it is (null: no tenant, as the CLI's and a keyless service's); an
     * answer kept for one tenant is never given to another. {@code prepared}: what {@link #prepare}
     * worked out for it (null: not prepared, each layer works out what it needs). {@code meetingDate}: the day
     * the meeting took place when its name or metadata says (null: unknown). {@code style}: the language and
     * template the minutes are to be written in (null: the general template, in the language the meeting was
     * held in). {@code lane}: the lane its calls are sent in ({@link Lane#FLEX}: the provider's flex tier, where
     * the analyzer has one; null or any other: realtime); the result says the lane that answered.
     */
    record Request(String meetingId, String title, Transcript transcript, String tenant, Prepared prepared,
                   LocalDate meetingDate, Style style, Lane lane) {
        public Request(String meetingId, String title, Transcript transcript, String tenant) {
            this(meetingId, title, transcript, tenant, null, null, null, null);
        }

        public Request(String meetingId, String title, Transcript transcript, String tenant, Prepared prepared) {
            this(meetingId, title, transcript, tenant, prepared, null, null, null);
        }

        public Request(String meetingId, String title, Transcript transcript, String tenant, Prepared prepared,
                       LocalDate meetingDate) {
            this(meetingId, title, transcript, tenant, prepared, meetingDate, null, null);
        }

        public Request(String meetingId, String title, Transcript transcript, String tenant, Prepared prepared,
                       LocalDate meetingDate, Style style) {
            this(meetingId, title, transcript, tenant, prepared, meetingDate, style, null);
        }

        /** The same request about another transcript (a redacted one); nothing prepared for the old one holds. */
        public Request withTranscript(Transcript other) {
            return new Request(meetingId, title, other, tenant, null, meetingDate, style, lane);
        }

        public Request withPrepared(Prepared prepared) {
            return new Request(meetingId, title, transcript, tenant, prepared, meetingDate, style, lane);
        }

        /** The same request, knowing the day the meeting took place (null: unknown), so due dates can be resolved. */
        public Request withMeetingDate(LocalDate date) {
            return new Request(meetingId, title, transcript, tenant, prepared, date, style, lane);
        }

        public Request withStyle(Style decided) {
            return new Request(meetingId, title, transcript, tenant, prepared, meetingDate, decided, lane);
        }

        /**
         * The same request sent in {@code other} lane. What was prepared stays: the estimate's tokens are the same in
         * every lane (its cost is the prepared lane's).
         */
        public Request inLane(Lane other) {
            return new Request(meetingId, title, transcript, tenant, prepared, meetingDate, style, other);
        }

        /** Whether its calls are to be sent in the flex tier. */
        public boolean flex() {
            return lane == Lane.FLEX;
        }

        /** The estimate worked out by {@link #prepare}, or null when not prepared. */
        public Estimate preparedEstimate() {
            return prepared == null ? null : prepared.estimate();
        }
    }

    /**
     * What {@link #prepare} worked out for one attempt. {@code estimate}: of the transcript as it is sent,
     * by the analyzer that sends it (marked cached when the cache holds the answer). {@code redactions}:
     * what redaction masked, by kind (null: the transcript was not redacted by a preparation).
     * {@code cacheKey}: the transcript's key in the result cache (null: no cache); {@code cachedAnswer}: the
     * answer the cache held under it (null: none).
     */
    record Prepared(Estimate estimate, Map<String, Integer> redactions, ResultCache.ResultKey cacheKey,
                    Analysis cachedAnswer) {
        public Prepared {
            Objects.requireNonNull(estimate, "estimate");
            redactions = redactions == null ? null : Collections.unmodifiableMap(new LinkedHashMap<>(redactions));
        }

        public static Prepared of(Estimate estimate) {
            return new Prepared(estimate, null, null, null);
        }

        public Prepared withRedactions(Map<String, Integer> counts) {
            return new Prepared(estimate, counts, cacheKey, cachedAnswer);
        }

        /** Looked up in the result cache under {@code key}; {@code answer} is what it held (null: nothing). */
        public Prepared lookedUp(ResultCache.ResultKey key, Analysis answer) {
            return new Prepared(answer == null ? estimate : estimate.answeredFromCache(), redactions, key, answer);
        }
    }

    /**
     * The minutes and what their calls used. {@code lane}: the lane whose calls answered ({@link Lane#FLEX} or
     * {@link Lane#REALTIME}; null when no provider lane did: an offline analyzer, a cached answer). {@code
     * listCostUsd}: what the same usage costs at the realtime list price (null: the same as its cost).
     */
    record Result(Analysis analysis, Usage usage, Lane lane, Double listCostUsd) {
        public Result(Analysis analysis, Usage usage) {
            this(analysis, usage, null, null);
        }

        /** The same calls' result with {@code other} minutes (checked, annotated). */
        public Result withAnalysis(Analysis other) {
            return new Result(other, usage, lane, listCostUsd);
        }
    }
}
