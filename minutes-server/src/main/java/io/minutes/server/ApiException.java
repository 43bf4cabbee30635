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
    private final String code;
    private final String title;
    private final List<FieldError> errors;
    private final Map<String, Object> extra = new LinkedHashMap<>();
    private final Map<String, String> headers = new LinkedHashMap<>();

    public ApiException(int status, String code, String title, String detail, List<FieldError> errors) {
        super(detail);
        this.status = status;
        this.code = code;
        this.title = title;
        this.errors = List.copyOf(errors);
    }

    public ApiException(int status, String code, String title, String detail) {
        this(status, code, title, detail, List.of());
    }

    public static ApiException notFound(String what) {
        return new ApiException(404, "NOT_FOUND", "Not found", what + " does not exist (or belongs to another tenant)");
    }

    public static ApiException invalid(List<FieldError> errors) {
        return new ApiException(400, "INVALID_REQUEST", "Invalid request",
                errors.size() + " problem(s) in the request; see errors", errors);
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
        return code;
    }

    public String title() {
        return title;
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
