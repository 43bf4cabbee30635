package io.minutes.server;

import java.util.Arrays;
import java.util.List;

/**
 * Every stable {@code code} a problem+json answer carries, with its HTTP status, its title and what it
 * means. The exception mapper, the OpenAPI document and the error-code tests all read this list, so a
 * new code is added here once.
 */
public enum ErrorCode {
    INVALID_REQUEST(400, "Invalid request", "a field is missing or wrong; errors lists each by its JSON pointer"),
    INVALID_JSON(400, "Invalid JSON", "the body is not one JSON object"),
    UNREADABLE_BODY(400, "Unreadable body", "the request body could not be read to its end"),
    INVALID_MULTIPART(400, "Invalid upload", "the body is not a readable multipart/form-data upload"),
    BATCH_TOO_LARGE(400, "Too many meetings", "more meetings than max-batch-meetings in one batch"),
    OVER_BUDGET(400, "Estimate over budget", "the estimate passes options.budget_usd; the estimate is in the answer"),
    MALFORMED_REQUEST(400, "Malformed request", "the HTTP request itself is malformed"),
    UNAUTHORIZED(401, "API key required", "the API key is missing or unknown"),
    CROSS_SITE_REQUEST(403, "Cross-site request refused", "a browser request from another site tried to change something"),
    NOT_FOUND(404, "Not found", "no such batch or meeting (or it is another tenant's)"),
    ROUTE_NOT_FOUND(404, "No such endpoint", "no endpoint answers this method and path"),
    BATCH_FINISHED(409, "Batch already finished", "the batch has nothing left to cancel"),
    NOTHING_TO_RETRY(409, "Nothing to retry", "the batch has no failed meeting that can run again"),
    PAYLOAD_TOO_LARGE(413, "Payload too large", "the body is over max-upload-bytes or max-json-bytes"),
    JSON_VALUE_TOO_LARGE(413, "JSON value too large", "one JSON value (a transcript) is over the limit for one value"),
    REQUEST_TOO_SLOW(408, "Request too slow", "the body arrived slower than the server's minimum data rate"),
    URI_TOO_LONG(414, "URI too long", "the request's URI is over the server's limit"),
    UNSUPPORTED_MEDIA_TYPE(415, "JSON expected", "the endpoint reads application/json"),
    HEADERS_TOO_LARGE(431, "Headers too large", "the request's headers are over the server's limit"),
    INTERNAL(500, "Internal error", "the server failed; error_id is in its log"),
    AT_CAPACITY(503, "At capacity", "the queue is full (max-queued-meetings); Retry-After says when to try again"),
    BUSY(503, "Busy", "too many JSON bodies are being read at once; Retry-After says when to try again"),
    NOT_READY(503, "Not ready", "the store cannot be written or read, or the engine is stopped"),
    PROCESS_TIMEOUT(504, "Still processing", "the meeting did not finish within the wait; it goes on");

    private final int status;
    private final String title;
    private final String meaning;

    ErrorCode(int status, String title, String meaning) {
        this.status = status;
        this.title = title;
        this.meaning = meaning;
    }

    public int status() {
        return status;
    }

    public String title() {
        return title;
    }

    /** What the code means, for the API's document. */
    public String meaning() {
        return meaning;
    }

    /** The codes answered with {@code status}, in this list's order. */
    public static List<ErrorCode> withStatus(int status) {
        return Arrays.stream(values()).filter(code -> code.status == status).toList();
    }

    /**
     * The code of an answer Jetty makes before any handler runs (a malformed request, a limit of the
     * HTTP layer): the code of that status, else the nearest by status class.
     */
    static ErrorCode ofProtocolStatus(int status) {
        return switch (status) {
            case 408 -> REQUEST_TOO_SLOW;
            case 413 -> PAYLOAD_TOO_LARGE;
            case 414 -> URI_TOO_LONG;
            case 431 -> HEADERS_TOO_LARGE;
            default -> status >= 500 ? INTERNAL : MALFORMED_REQUEST;
        };
    }
}
