package io.minutes.providers.http;

import com.fasterxml.jackson.databind.JsonNode;
import io.minutes.core.domain.Failure;

import java.io.IOException;
import java.net.ConnectException;
import java.net.http.HttpConnectTimeoutException;
import java.net.http.HttpHeaders;
import java.net.http.HttpTimeoutException;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * The one table that says what a failed provider call means, for every HTTP adapter:
 *
 * <pre>
 * status                                adapter kind   failure cause (what the engine does: {@link Failure.Cause})
 * 429                                   RATE_LIMITED   RATE_LIMITED     retry-after from the headers
 *   ... resource unavailable (flex)     TRANSIENT      FLEX_UNAVAILABLE the provider is not paused; realtime may take it
 * 400/429 token_limit_exceeded          TRANSIENT      ENQUEUED_TOKENS_FULL  a batch waits for earlier batches to end
 *   ... insufficient_quota, spend limit PERMANENT      QUOTA_EXHAUSTED  (no retry brings back an unpaid quota)
 * 503, 529 (overloaded)                 TRANSIENT      OVERLOADED       retry-after when the provider gives one
 * 408, 409, other 5xx                   TRANSIENT      SERVER_ERROR     retry-after when the provider gives one
 * timeouts                              TRANSIENT      TIMEOUT
 * connection reset/refused              TRANSIENT      NETWORK
 * 400/413 saying the context is full    CONTEXT_LENGTH REFUSED_REQUEST  the analyzer splits the transcript
 * 401, 403                              AUTHENTICATION REFUSED_REQUEST  the adapter stops calling
 * content filter, any other 4xx         PERMANENT      REFUSED_REQUEST
 * </pre>
 *
 * Messages name the provider, the HTTP status, the provider's error type and message, and what to do;
 * the caller's secret (the API key) is masked out of anything the provider echoes back.
 */
public final class ErrorTable {
    private static final int MAX_PROVIDER_MESSAGE = 400;
    /** How OpenAI ({@code insufficient_quota}) and Anthropic ({@code enforced_spend_limit_reached}, a 400 "Your credit balance is too low") say the money ran out. */
    private static final List<String> QUOTA_SIGNS = List.of("insufficient_quota", "spend_limit", "credit_balance", "credit balance is too low");
    /** How OpenAI refuses a flex call for capacity (429 "Resource Unavailable"). */
    private static final List<String> FLEX_UNAVAILABLE_SIGNS = List.of("resource_unavailable", "resource unavailable");
    /** How OpenAI refuses a batch over the enqueued-token limit ("Enqueued token limit reached for ..."). */
    private static final List<String> ENQUEUED_TOKEN_SIGNS = List.of("token_limit_exceeded", "enqueued token limit");
    private static final List<String> CONTEXT_LENGTH_SIGNS = List.of(
            "context_length_exceeded", "maximum context length", "context length", "context window",
            "prompt is too long", "input is too long", "too many tokens", "request_too_large", "exceeds the context");
    private static final Map<Integer, String> REASONS = Map.ofEntries(
            Map.entry(400, "Bad Request"), Map.entry(401, "Unauthorized"), Map.entry(403, "Forbidden"),
            Map.entry(404, "Not Found"), Map.entry(408, "Request Timeout"), Map.entry(409, "Conflict"),
            Map.entry(413, "Request Too Large"), Map.entry(422, "Unprocessable Entity"),
            Map.entry(429, "Too Many Requests"), Map.entry(500, "Internal Server Error"),
            Map.entry(502, "Bad Gateway"), Map.entry(503, "Service Unavailable"), Map.entry(504, "Gateway Timeout"),
            Map.entry(529, "Overloaded"));

    private ErrorTable() {
    }

    /**
     * Classifies a response whose status is not 2xx.
     *
     * @param provider the provider as users know it ("openai", "anthropic")
     * @param authHint what to fix after a 401/403, e.g. "set OPENAI_API_KEY or --api-key-env"
     * @param secret   the API key, masked out of the message (null when there is none)
     */
    public static ProviderException classify(String provider, int status, HttpHeaders headers, String body,
                                             Instant now, String authHint, String secret) {
        ProviderError error = ProviderError.of(body);
        String what = provider + " answered HTTP " + status + reason(status) + error.describe();
        String lower = (error.type + " " + error.code + " " + error.message).toLowerCase(Locale.ROOT);
        Duration retryAfter = RateLimitHeaders.retryAfter(headers, now);
        ErrorKind kind;
        Failure.Cause cause = Failure.Cause.REFUSED_REQUEST;
        String todo;
        if ((status == 400 || status == 429) && ENQUEUED_TOKEN_SIGNS.stream().anyMatch(lower::contains)) {
            kind = ErrorKind.TRANSIENT;
            cause = Failure.Cause.ENQUEUED_TOKENS_FULL;
            todo = "this model's batches already hold as many prompt tokens as the provider lets wait; the lines wait"
                    + " until earlier batches end";
        } else if (status == 429 && FLEX_UNAVAILABLE_SIGNS.stream().anyMatch(lower::contains)) {
            kind = ErrorKind.TRANSIENT;
            cause = Failure.Cause.FLEX_UNAVAILABLE;
            todo = "the flex tier has no capacity for this call now; wait, or send it in the realtime lane";
        } else if ((status == 429 || status == 400 || status == 402) && (QUOTA_SIGNS.stream().anyMatch(lower::contains) || lower.contains("billing_error"))) {
            kind = ErrorKind.PERMANENT;
            cause = Failure.Cause.QUOTA_EXHAUSTED;
            todo = "the account has no quota left: check the plan and billing of this API key";
        } else if (status == 429) {
            kind = ErrorKind.RATE_LIMITED;
            cause = Failure.Cause.RATE_LIMITED;
            todo = retryAfter == null ? "rate limited" : "rate limited; the provider asks to wait " + human(retryAfter);
        } else if (status == 401 || status == 403) {
            kind = ErrorKind.AUTHENTICATION;
            todo = "the API key was refused or lacks access; " + authHint
                    + ". No further calls go to " + provider + " in this run";
        } else if (status == 408 || status == 409 || status == 529 || status >= 500) {
            kind = ErrorKind.TRANSIENT;
            cause = status == 503 || status == 529 ? Failure.Cause.OVERLOADED : Failure.Cause.SERVER_ERROR;
            todo = "a temporary provider problem" + (retryAfter == null ? "" : "; the provider asks to wait " + human(retryAfter));
        } else if ((status == 400 || status == 413 || status == 422) && CONTEXT_LENGTH_SIGNS.stream().anyMatch(lower::contains)) {
            kind = ErrorKind.CONTEXT_LENGTH;
            todo = "the transcript is longer than the model's context; it is analysed in parts";
        } else if (lower.contains("content_filter") || lower.contains("content_policy") || lower.contains("content management policy")) {
            kind = ErrorKind.PERMANENT;
            todo = "the provider's content filter refused this transcript; it will not be retried";
        } else if (status == 404) {
            kind = ErrorKind.PERMANENT;
            todo = "check --model and --base-url (the URL or model does not exist on this server)";
        } else {
            kind = ErrorKind.PERMANENT;
            todo = "the provider refused the request; it will not be retried";
        }
        Duration hint = cause.kind() == Failure.Kind.TRANSIENT ? retryAfter : null;
        return new ProviderException(kind, cause, status, mask(what + ": " + todo, secret), hint);
    }

    /** Classifies a call that got no response: timeouts, refused and reset connections are transient. */
    public static ProviderException ioFailure(String provider, String url, IOException e, Duration requestTimeout,
                                              Duration connectTimeout, String secret) {
        String message;
        Failure.Cause cause = e instanceof HttpTimeoutException ? Failure.Cause.TIMEOUT : Failure.Cause.NETWORK;
        if (e instanceof HttpConnectTimeoutException) {
            message = provider + ": could not connect to " + url + " within " + human(connectTimeout)
                    + " (--connect-timeout)";
        } else if (e instanceof HttpTimeoutException) {
            message = provider + ": no complete answer from " + url + " within " + human(requestTimeout)
                    + " (--request-timeout)";
        } else if (e instanceof ConnectException) {
            message = provider + ": connection to " + url + " refused; is the server running and --base-url right?";
        } else {
            message = provider + ": connection to " + url + " failed (" + e.getClass().getSimpleName()
                    + (e.getMessage() == null ? "" : ": " + e.getMessage()) + ")";
        }
        return new ProviderException(ErrorKind.TRANSIENT, cause, 0, mask(message, secret), null, e);
    }

    static String mask(String text, String secret) {
        if (secret == null || secret.isBlank() || text == null) return text;
        return text.replace(secret, "****");
    }

    static String human(Duration d) {
        if (d.toMillis() < 1000) return d.toMillis() + " ms";
        long s = d.toSeconds() + (d.toMillisPart() >= 500 ? 1 : 0);
        return s < 120 ? s + " s" : (s / 60) + " min " + (s % 60) + " s";
    }

    private static String reason(int status) {
        String r = REASONS.get(status);
        return r == null ? "" : " " + r;
    }

    /** The error object of OpenAI ({error:{message,type,param,code}}), Anthropic ({type:error, error:{type,message}}) and look-alikes. */
    private record ProviderError(String type, String code, String message) {
        static ProviderError of(String body) {
            if (body == null || body.isBlank()) return new ProviderError("", "", "");
            JsonNode root;
            try {
                root = ProviderHttp.JSON.readTree(body);
            } catch (IOException e) {
                return new ProviderError("", "", body.strip());
            }
            JsonNode error = root.path("error");
            if (error.isTextual()) return new ProviderError("", "", error.asText());
            JsonNode node = error.isObject() ? error : root;
            // Anthropic tells a spend limit apart from a rate limit only in error.details.error_code
            String code = text(node.path("code")).isEmpty() ? text(node.path("details").path("error_code")) : text(node.path("code"));
            return new ProviderError(text(node.path("type")), code,
                    text(node.path("message")).isEmpty() ? text(node.path("detail")) : text(node.path("message")));
        }

        String describe() {
            String label = !type.isEmpty() ? type : code;
            if (!code.isEmpty() && !code.equals(type) && !type.isEmpty()) label = type + "/" + code;
            String msg = message.length() > MAX_PROVIDER_MESSAGE ? message.substring(0, MAX_PROVIDER_MESSAGE) + "..." : message;
            if (label.isEmpty() && msg.isEmpty()) return "";
            return " (" + (label.isEmpty() ? "" : label + (msg.isEmpty() ? "" : ": ")) + msg + ")";
        }

        private static String text(JsonNode n) {
            return n.isValueNode() && !n.isNull() ? n.asText() : "";
        }
    }
}
