package io.minutes.server;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * An answer other than success, as RFC 9457 problem+json: {@code code} is stable (clients switch on
 * it), {@code detail} says what is wrong and what to do. {@code errors} lists every invalid field by
 * its JSON pointer; {@code extra} adds members (the limit, the batch id); {@code headers} go on the
 * response (Retry-After).
 */
public final class ApiException extends RuntimeException {
    public record FieldError(String pointer, String detail) {
    }

    private final int status;
    private final ErrorCode code;
    private final List<FieldError> errors;
    private final Map<String, Object> extra = new LinkedHashMap<>();
    private final Map<String, String> headers = new LinkedHashMap<>();

    public ApiException(ErrorCode code, String detail, List<FieldError> errors) {
        this(code.status(), code, detail, errors);
    }

    public ApiException(ErrorCode code, String detail) {
        this(code, detail, List.of());
    }

    /** An answer of the HTTP layer, whose status may be one no handler answers with. */
    static ApiException ofProtocolStatus(int status, String detail) {
        return new ApiException(status, ErrorCode.ofProtocolStatus(status), detail, List.of());
    }

    /**
     * The answer to a request Jetty refused while the handler read its body (too slow, malformed chunks), if
     * {@code failure} is one: it carries the HTTP status Jetty chose.
     */
    static java.util.Optional<ApiException> ofBodyFailure(Throwable failure) {
        for (Throwable t = failure; t != null; t = t.getCause() == t ? null : t.getCause()) {
            if (t instanceof org.eclipse.jetty.http.HttpException refused && refused.getCode() >= 400) {
                return java.util.Optional.of(ofProtocolStatus(refused.getCode(), "the request body was refused: " + t.getMessage())
                        .header("Connection", "close"));
            }
        }
        return java.util.Optional.empty();
    }

    private ApiException(int status, ErrorCode code, String detail, List<FieldError> errors) {
        super(detail);
        this.status = status;
        this.code = code;
        this.errors = List.copyOf(errors);
    }

    public static ApiException notFound(String what) {
        return new ApiException(ErrorCode.NOT_FOUND, what + " does not exist (or belongs to another tenant)");
    }

    public static ApiException invalid(List<FieldError> errors) {
        return new ApiException(ErrorCode.INVALID_REQUEST, errors.size() + " problem(s) in the request; see errors", errors);
    }

    public ApiException with(String name, Object value) {
        extra.put(name, value);
        return this;
    }

    public ApiException header(String name, String value) {
        headers.put(name, value);
        return this;
    }

    public int status() {
        return status;
    }

    public String code() {
        return code.name();
    }

    public String title() {
        return code.title();
    }

    public List<FieldError> errors() {
        return errors;
    }

    public Map<String, Object> extra() {
        return extra;
    }

    public Map<String, String> headers() {
        return headers;
    }
}
