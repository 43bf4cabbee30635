package io.minutes.core.port;

import io.minutes.core.domain.Failure;

import java.time.Instant;
import java.util.List;
import java.util.Optional;
import java.util.function.Consumer;
import java.util.function.Function;

/**
 * A provider's asynchronous batch API (OpenAI's Batch API over {@code /v1/files} + {@code /v1/batches},
 * Anthropic's Message Batches): the same requests as the realtime lane, answered within the provider's
 * window (24 h) at about half the price. One instance serves one provider and one model; one provider
 * batch holds lines of one model only.
 *
 * <p>The engine stores its intent (a {@code key}) before it calls {@link #stage} or {@link #create}, so
 * that after a crash at any point it can find what the provider already holds ({@link #find}) and never
 * creates a second batch for the same lines. Lines are rebuilt from the meetings, never stored: {@link #line}
 * is deterministic for the same request.
 *
 * <p>Every call may throw {@link AnalyzerException} with a typed {@link Failure.Cause}: a 404 for a batch
 * created seconds ago is {@code SERVER_ERROR}-like (transient), a 429 is {@code RATE_LIMITED}, and the
 * enqueued-token limit ({@code token_limit_exceeded}) is {@code ENQUEUED_TOKENS_FULL}, which means "wait",
 * never "fail the meetings".
 */
public interface ProviderBatches {

    /** The provider name as configured (openai, anthropic). */
    String provider();

    String model();

    Limits limits();

    /**
     * The line that asks for one meeting's minutes: the same request body the realtime lane sends, under
     * {@code customId}. Empty when this meeting cannot be answered in one call (a transcript longer than the
     * model's context needs parts and a merge): such a meeting stays in the realtime lane.
     */
    Optional<Line> line(String customId, Analyzer.Request request) throws AnalyzerException;

    /**
     * Puts the lines where the provider reads them from (OpenAI: uploads a JSONL file, {@code purpose=batch},
     * named after {@code key}); returns a reference to pass to {@link #create} (null when the provider takes
     * the lines inline, as Anthropic does). Calling it again for the same key after a crash may find the
     * earlier upload instead of uploading again.
     */
    String stage(String key, List<Line> lines) throws AnalyzerException;

    /** Creates the provider batch, carrying {@code key} where {@link #find} can see it (OpenAI: {@code metadata}). */
    Remote create(String key, String staged, List<Line> lines) throws AnalyzerException;

    /**
     * The provider batch created for {@code key}, if the provider holds one: looked up after a crash between
     * {@link #create} being sent and its answer being stored. {@code notBefore}: when the intent was stored (no
     * batch created before it can be ours).
     */
    Optional<Remote> find(String key, Instant notBefore, int lineCount) throws AnalyzerException;

    /** The batch as the provider sees it now. */
    Remote status(String remoteId) throws AnalyzerException;

    /** Asks the provider to stop; lines already running may still succeed. Returns the batch after the request. */
    Remote cancel(String remoteId) throws AnalyzerException;

    /**
     * Reads every line's outcome of an ended batch, as a stream (constant memory, whatever the size), in the
     * provider's order (any order); each is given to {@code each} as soon as it is read.
     */
    void results(Remote remote, Consumer<LineResult> each) throws AnalyzerException;

    /**
     * {@link #results(Remote, Consumer)}, with {@code requestFor} giving the request a line was made from (by its
     * custom id; null when unknown), so that each answer's minutes carry the meeting's title and its
     * participants' words and times, as the realtime lane's do. Without it they carry the participants the model
     * named, with no counts, and an empty title.
     */
    default void results(Remote remote, Function<String, Analyzer.Request> requestFor, Consumer<LineResult> each)
            throws AnalyzerException {
        results(remote, each);
    }

    /** Deletes what the provider keeps for this batch (input and output files, the batch's results). */
    void discard(Remote remote) throws AnalyzerException;

    /**
     * The provider's limits for one batch: lines, bytes of the input, and the prompt tokens that may wait in
     * this model's batches at once (the enqueued-token limit; 0 when the provider states none).
     */
    record Limits(int maxLines, long maxBytes, long enqueuedTokenLimit) {
    }

    /**
     * One request: its custom id, its JSON (one JSONL line for OpenAI, one {@code requests[]} entry for Anthropic), its
     * size, and {@code maxCostUsd}: the most it may cost at this lane's (the batch) price, its input and its whole output
     * allowance; what a budget reserves for it while it waits in a provider batch.
     */
    record Line(String customId, String json, long inputTokens, long maxOutputTokens, double maxCostUsd) {
        public Line {
            if (!(maxCostUsd >= 0) || Double.isInfinite(maxCostUsd)) {
                throw new IllegalArgumentException("a line's most cost must be 0 or more USD, got " + maxCostUsd);
            }
        }
    }

    enum Status {
        /** Accepted, being checked or queued (OpenAI {@code validating}). */
        VALIDATING,
        IN_PROGRESS,
        /** Done running, results being written (OpenAI {@code finalizing}): results soon. */
        FINALIZING,
        CANCELLING,
        /** Ended with every line run (OpenAI {@code completed}; Anthropic {@code ended}, nothing cancelled or expired). */
        COMPLETED,
        /** The window passed: lines not run are expired, lines run are in the output. */
        EXPIRED,
        /** Cancelled: lines run before the cancel are in the output. */
        CANCELLED,
        /** The provider refused the batch (validation) or failed it; lines run before, if any, are in the output. */
        FAILED;

        public boolean ended() {
            return this == COMPLETED || this == EXPIRED || this == CANCELLED || this == FAILED;
        }
    }

    /**
     * A provider batch. {@code counts}: the provider's own progress. {@code failure}: why the provider refused
     * or failed the batch as a whole (null otherwise); {@code failureCause}: what that means (null when it did not
     * fail): {@code ENQUEUED_TOKENS_FULL} when the provider failed it for the enqueued-token limit (nothing ran:
     * its lines wait for earlier batches to end), {@code REFUSED_REQUEST} when it refused a line or the batch.
     */
    record Remote(String id, String key, Status status, Counts counts, Instant createdAt, Instant expiresAt,
                  String failure, Failure.Cause failureCause) {
        public Remote(String id, String key, Status status, Counts counts, Instant createdAt, Instant expiresAt,
                      String failure) {
            this(id, key, status, counts, createdAt, expiresAt, failure,
                    failure == null ? null : Failure.Cause.REFUSED_REQUEST);
        }
    }

    /** The provider's counts: lines in the batch, succeeded, errored, and not run (expired or cancelled). */
    record Counts(int total, int succeeded, int errored, int notRun) {
        public int done() {
            return succeeded + errored + notRun;
        }
    }

    /** One line's outcome, matched to its meeting by {@code customId}. */
    sealed interface LineResult {
        String customId();

        /**
         * Answered and valid: the minutes, with the usage the provider reported and its cost at this lane's
         * price; {@code listCostUsd} is what the same usage costs in the realtime lane.
         */
        record Answered(String customId, Analyzer.Result result, double listCostUsd) implements LineResult {
        }

        /** Errored: the provider's error for this line, classified as in realtime (5xx transient, 4xx permanent). */
        record Errored(String customId, Failure failure) implements LineResult {
        }

        /** Not run (expired or cancelled before it ran): plan it again; nothing was paid for it. */
        record NotRun(String customId, String why) implements LineResult {
        }
    }
}
