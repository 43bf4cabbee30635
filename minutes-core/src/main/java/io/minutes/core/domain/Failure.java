package io.minutes.core.domain;

import java.time.Duration;
import java.util.Locale;
import java.util.Objects;

/**
 * Why an attempt did not produce minutes, with its {@link Cause} set where the failure was born (the
 * provider's answer, the lease, the input). {@code retryAfter} is the provider's own hint (e.g. a 429's
 * retry-after); the retry policy never schedules a retry sooner than that. The engine reads what to do
 * from the cause's facts ({@link #isTransient()}, {@link #usesAnAttempt()}, {@link #countedByProvider()},
 * {@link #signalsOverload()}), never from the retry-after or the message.
 */
public record Failure(Cause cause, String message, Duration retryAfter) {

    public enum Kind {
        /** Worth another attempt: timeouts, resets, 5xx, a lease lost to a crash. */
        TRANSIENT,
        /** Another attempt would fail the same way: unreadable input, a 4xx, an invalid answer. */
        PERMANENT;

        public String wireName() {
            return name().toLowerCase(Locale.ROOT);
        }

        public static Kind fromWire(String name) {
            return valueOf(name.toUpperCase(Locale.ROOT));
        }
    }

    /**
     * What failed, and so what the engine does about it. The one place that says it; the providers'
     * documents decided the provider rows:
     *
     * <ul>
     *   <li>A 429 for the rate limit (OpenAI {@code rate_limit_exceeded}, {@code slow_down}; Anthropic
     *       {@code rate_limit_error}) is refused at the provider's gate before the model runs: the tokens
     *       of the call were not counted against the minute's allowance, so the throttle gives them back,
     *       whether or not a retry-after came with it. It is not the meeting's fault: no attempt is used
     *       (a run of them is bounded by time), and fewer concurrent calls would not help (the throttle
     *       paces the rate).</li>
     *   <li>A 429 or 400 for money (OpenAI {@code insufficient_quota}, Anthropic
     *       {@code enforced_spend_limit_reached}) is refused at the gate too, and no retry brings the money
     *       back.</li>
     *   <li>An overload (OpenAI 503, Anthropic 529 {@code overloaded_error}) is the provider short of capacity
     *       for everyone, after the call passed the rate limit: its reservation is kept (charged), a
     *       retry-after or not. It uses an attempt and tells the concurrency limit to back off.</li>
     *   <li>Any other failure after the call was sent is charged as well: whether the provider counted it
     *       is not documented, and charging a call that was not counted only slows the next call a little,
     *       while refunding one that was sends the next into a 429.</li>
     * </ul>
     */
    public enum Cause {
        /** 429 rate limit: the provider asks for fewer calls (retry-after when it says). */
        RATE_LIMITED(Kind.TRANSIENT, false, false, false),
        /** 503 / 529: the provider is short of capacity for everyone. */
        OVERLOADED(Kind.TRANSIENT, true, true, true),
        /** 500, 502, 504 and other 5xx, 408, 409: the provider failed this call. */
        SERVER_ERROR(Kind.TRANSIENT, true, true, true),
        /** No complete answer within the request timeout. */
        TIMEOUT(Kind.TRANSIENT, true, true, true),
        /** The connection was refused, reset or failed. */
        NETWORK(Kind.TRANSIENT, true, true, true),
        /** The provider answered 2xx with something that is not an answer (not JSON, no choices); the next may be. */
        INVALID_ANSWER(Kind.TRANSIENT, true, true, false),
        /** The worker holding the meeting stopped or lost its lease; the reaper bounds these by their own count. */
        LEASE_LOST(Kind.TRANSIENT, false, false, false),
        /** The work was interrupted (a shutdown, a cancelled batch) before it could finish. */
        INTERRUPTED(Kind.TRANSIENT, true, true, false),
        /** A transient failure of this process's own side: a store or a file that could not be read just now. */
        LOCAL_TRANSIENT(Kind.TRANSIENT, true, false, false),
        /**
         * A provider batch could not be created: this model's batches already hold as many prompt tokens as
         * the provider allows waiting (OpenAI {@code token_limit_exceeded}). Nothing was run or paid; the
         * lines wait until earlier batches end, and no meeting fails for it.
         */
        ENQUEUED_TOKENS_FULL(Kind.TRANSIENT, false, false, false),
        /**
         * A flex-tier call refused for capacity (OpenAI 429 "resource unavailable" with {@code service_tier:
         * flex}): not the meeting's fault and not the rate limit (the provider is not paused for it, nothing was
         * charged); the engine may wait or send the call in the realtime lane instead.
         */
        FLEX_UNAVAILABLE(Kind.TRANSIENT, false, false, false),
        /** The account has no quota or money left (429 insufficient_quota, a spend limit). */
        QUOTA_EXHAUSTED(Kind.PERMANENT, true, false, false),
        /** The provider refused the request itself: 4xx, a wrong key, a missing model, a content filter. */
        REFUSED_REQUEST(Kind.PERMANENT, true, true, false),
        /** The provider answered, but the answer cannot be used and another call would answer the same. */
        UNUSABLE_ANSWER(Kind.PERMANENT, true, true, false),
        /** The meeting's input cannot be analysed: unreadable, too large, unsupported, refused by policy. */
        INPUT(Kind.PERMANENT, true, false, false),
        /** Transient, cause not told (a failure read from an older row or from an older client). */
        UNSPECIFIED_TRANSIENT(Kind.TRANSIENT, true, true, true),
        /** Permanent, cause not told (a failure read from an older row or from an older client). */
        UNSPECIFIED_PERMANENT(Kind.PERMANENT, true, true, false);

        private final Kind kind;
        private final boolean usesAnAttempt;
        private final boolean countedByProvider;
        private final boolean signalsOverload;

        Cause(Kind kind, boolean usesAnAttempt, boolean countedByProvider, boolean signalsOverload) {
            this.kind = kind;
            this.usesAnAttempt = usesAnAttempt;
            this.countedByProvider = countedByProvider;
            this.signalsOverload = signalsOverload;
        }

        public Kind kind() {
            return kind;
        }

        /** Whether this failure counts against the meeting's max attempts. */
        public boolean usesAnAttempt() {
            return usesAnAttempt;
        }

        /**
         * Whether the provider counted the failed call against its limits (so the throttle keeps its
         * reservation); false when it refused the call at its gate or the call never reached it.
         */
        public boolean countedByProvider() {
            return countedByProvider;
        }

        /** Whether the provider is struggling with the calls in flight, so fewer concurrent calls would help. */
        public boolean signalsOverload() {
            return signalsOverload;
        }

        /** The cause of a failure known only by its kind. */
        public static Cause unspecified(Kind kind) {
            return kind == Kind.TRANSIENT ? UNSPECIFIED_TRANSIENT : UNSPECIFIED_PERMANENT;
        }
    }

    public Failure {
        Objects.requireNonNull(cause, "cause");
        Objects.requireNonNull(message, "message");
    }

    /** A failure known only by its kind (a stored row, an event from another node). */
    public Failure(Kind kind, String message, Duration retryAfter) {
        this(Cause.unspecified(Objects.requireNonNull(kind, "kind")), message, retryAfter);
    }

    public static Failure of(Cause cause, String message) {
        return new Failure(cause, message, null);
    }

    /** A 429: the provider asks to wait {@code retryAfter} (null when it did not say). */
    public static Failure rateLimited(String message, Duration retryAfter) {
        return new Failure(Cause.RATE_LIMITED, message, retryAfter);
    }

    public static Failure transientFailure(String message) {
        return new Failure(Cause.UNSPECIFIED_TRANSIENT, message, null);
    }

    public static Failure permanent(String message) {
        return new Failure(Cause.UNSPECIFIED_PERMANENT, message, null);
    }

    public Kind kind() {
        return cause.kind();
    }

    public boolean isTransient() {
        return cause.kind() == Kind.TRANSIENT;
    }

    /** The provider refused the call for its rate limit (a 429): see {@link Cause#RATE_LIMITED}. */
    public boolean rateLimited() {
        return cause == Cause.RATE_LIMITED;
    }

    /** See {@link Cause#usesAnAttempt()}. */
    public boolean usesAnAttempt() {
        return cause.usesAnAttempt();
    }

    /** See {@link Cause#countedByProvider()}. */
    public boolean countedByProvider() {
        return cause.countedByProvider();
    }

    /** See {@link Cause#signalsOverload()}. */
    public boolean signalsOverload() {
        return cause.signalsOverload();
    }
}
