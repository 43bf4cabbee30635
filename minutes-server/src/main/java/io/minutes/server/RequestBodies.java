package io.minutes.server;

import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.exc.StreamConstraintsException;
import com.fasterxml.jackson.databind.JsonNode;
import io.javalin.http.Context;
import io.javalin.http.UploadedFile;
import io.minutes.server.ApiException.FieldError;

import java.io.FilterInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import java.util.function.Supplier;

/**
 * Reading a request's body within the service's limits: a JSON body (capped in bytes, and read by at most
 * {@link ServerOptions#MAX_JSON_BODIES_AT_ONCE} requests at once) and a multipart upload (capped by
 * max-upload-bytes), each refused with its own problem when it passes a limit or cannot be read.
 */
final class RequestBodies {
    /**
     * The answer to a request whose body was not (or could not be) read to its end: Jetty closes such a
     * connection anyway, and saying so keeps clients from sending their next request on it.
     */
    private static final String UNREAD_BODY = "close";
    private static final Duration JSON_PERMIT_WAIT = Duration.ofSeconds(30);

    private final Semaphore jsonBodies = new Semaphore(ServerOptions.MAX_JSON_BODIES_AT_ONCE, true);
    private final ServerOptions options;

    RequestBodies(ServerOptions options) {
        this.options = options;
    }

    // ---- JSON ------------------------------------------------------------------------------------

    /** One of the few JSON bodies parsed at once, so memory is bounded however many clients send large ones. */
    JsonPermit jsonPermit() throws InterruptedException {
        if (!jsonBodies.tryAcquire(JSON_PERMIT_WAIT.toMillis(), TimeUnit.MILLISECONDS)) {
            throw new ApiException(ErrorCode.BUSY, "the service is reading " + ServerOptions.MAX_JSON_BODIES_AT_ONCE
                    + " other JSON submissions; try again in a few seconds, or upload large transcripts as files")
                    .header("Retry-After", "5").header("Connection", UNREAD_BODY);
        }
        return new JsonPermit(jsonBodies);
    }

    /** Releases its permit once, however often it is closed. */
    static final class JsonPermit implements AutoCloseable {
        private final Semaphore semaphore;
        private boolean released;

        private JsonPermit(Semaphore semaphore) {
            this.semaphore = semaphore;
        }

        @Override
        public void close() {
            if (!released) {
                released = true;
                semaphore.release();
            }
        }
    }

    /** The body as one JSON object; read under a {@link #jsonPermit()}. */
    JsonNode jsonBody(Context ctx) {
        long length = ctx.req().getContentLengthLong();
        if (length > options.maxJsonBytes()) throw jsonTooLarge(length);
        BrowserGuard.requireJson(ctx);
        // a body without Content-Length (chunked) is counted as it is read: refused past the limit, never held whole
        try (InputStream in = new Capped(ctx.bodyInputStream(), options.maxJsonBytes(), () -> jsonTooLarge(-1));
             JsonParser parser = Views.JSON.createParser(in)) {
            JsonNode body = Views.JSON.readTree(parser);
            if (body == null || !body.isObject()) {
                throw ApiException.invalid(List.of(new FieldError("", "the body must be a JSON object")));
            }
            boolean more;
            try {
                more = parser.nextToken() != null;
            } catch (JsonProcessingException e) {
                more = true;
            }
            if (more) { // one JSON value is the whole body: anything after it is a mistake
                var where = parser.currentLocation();
                throw new ApiException(ErrorCode.INVALID_JSON, "the body has more after its JSON object (near line " + where.getLineNr() + ", column " + where.getColumnNr()
                                + "): send exactly one JSON object");
            }
            return body;
        } catch (StreamConstraintsException e) {
            throw new ApiException(ErrorCode.JSON_VALUE_TOO_LARGE, JsonErrors.tooLarge(e))
                    .header("Connection", UNREAD_BODY);
        } catch (JsonProcessingException e) {
            var where = e.getLocation();
            throw new ApiException(ErrorCode.INVALID_JSON, "the body is not valid JSON" + (where == null ? "" : " at line " + where.getLineNr() + ", column " + where.getColumnNr())
                            + ": " + JsonErrors.plain(e.getOriginalMessage()));
        } catch (IOException e) {
            throw new ApiException(ErrorCode.UNREADABLE_BODY, "could not read the request body: " + e.getMessage())
                    .header("Connection", UNREAD_BODY);
        }
    }

    private ApiException jsonTooLarge(long length) {
        return new ApiException(ErrorCode.PAYLOAD_TOO_LARGE, (length > 0 ? "the JSON body has " + length + " bytes; " : "the JSON body is larger than allowed; ")
                        + "a JSON submission may hold at most " + options.maxJsonBytes()
                        + " bytes: send large transcripts as files to /api/v1/meetings/batch/upload, or split the batch")
                .with("limit", options.maxJsonBytes()).header("Connection", UNREAD_BODY);
    }

    /** Throws {@code tooLarge} once more than {@code limit} bytes were read. */
    private static final class Capped extends FilterInputStream {
        private final long limit;
        private final Supplier<ApiException> tooLarge;
        private long count;

        Capped(InputStream in, long limit, Supplier<ApiException> tooLarge) {
            super(in);
            this.limit = limit;
            this.tooLarge = tooLarge;
        }

        @Override
        public int read() throws IOException {
            int b = super.read();
            if (b >= 0) counted(1);
            return b;
        }

        @Override
        public int read(byte[] b, int off, int len) throws IOException {
            int n = super.read(b, off, len);
            if (n > 0) counted(n);
            return n;
        }

        private void counted(int n) {
            count += n;
            if (count > limit) throw tooLarge.get();
        }
    }

    // ---- multipart -------------------------------------------------------------------------------

    /**
     * An upload's parts as sent, not yet checked: the files under 'files', and the raw form fields
     * tier, on_duplicate, options and each of {@link SubmissionRequest#OPTION_FIELDS} (null when absent).
     */
    record UploadForm(List<UploadedFile> files, String tier, String onDuplicate, String options,
                      Map<String, String> optionFields) {
    }

    /** Reads the whole multipart body (Jetty spools large files to the upload folder). */
    UploadForm uploadForm(Context ctx) {
        long length = ctx.req().getContentLengthLong();
        if (length > options.maxUploadBytes()) throw tooLarge(length);
        String contentType = ctx.contentType();
        if (contentType == null || !contentType.toLowerCase(Locale.ROOT).startsWith("multipart/form-data")) {
            throw new ApiException(ErrorCode.INVALID_MULTIPART, "an upload is a multipart/form-data body (Content-Type was " + (contentType == null ? "not given" : "'" + contentType + "'")
                            + "): send the files under the field 'files', as curl -F files=@FILE does; JSON goes to /api/v1/meetings/batch");
        }
        List<UploadedFile> files;
        String rawTier;
        String rawOnDuplicate;
        String rawOptions;
        try { // the first of these reads the whole body, spooling files to disk
            files = ctx.uploadedFiles("files");
            rawTier = ctx.formParam("tier");
            rawOnDuplicate = ctx.formParam("on_duplicate");
            rawOptions = ctx.formParam("options");
        } catch (Exception e) { // Jetty throws ServletException unchecked
            throw tooLargeOr(e);
        }
        Map<String, String> optionFields = new LinkedHashMap<>();
        for (String name : SubmissionRequest.OPTION_FIELDS) optionFields.put(name, ctx.formParam(name));
        return new UploadForm(files, rawTier, rawOnDuplicate, rawOptions, optionFields);
    }

    private ApiException tooLarge(long length) {
        return new ApiException(ErrorCode.PAYLOAD_TOO_LARGE, (length > 0 ? "the request has " + length + " bytes; " : "the request is larger than allowed; ")
                        + "the limit is " + options.maxUploadBytes() + " bytes (max-upload-bytes): send fewer files per request")
                .with("limit", options.maxUploadBytes()).header("Connection", UNREAD_BODY);
    }

    /** Jetty says a body went over the multipart limits only in its messages ("max length exceeded"). */
    private RuntimeException tooLargeOr(Exception e) {
        var tooSlow = ApiException.ofBodyFailure(e).filter(refused -> refused.status() == ErrorCode.REQUEST_TOO_SLOW.status());
        if (tooSlow.isPresent()) return tooSlow.get();
        for (Throwable t = e; t != null; t = t.getCause()) {
            String m = String.valueOf(t.getMessage()).toLowerCase(Locale.ROOT);
            if (m.contains("max length exceeded") || m.contains("too large") || m.contains("exceeds")) return tooLarge(-1);
        }
        return new ApiException(ErrorCode.INVALID_MULTIPART, "the body is not a readable multipart/form-data upload (" + innermostMessage(e) + "): check the boundary "
                        + "of the Content-Type header and that every part starts with it and the body ends with it")
                .header("Connection", UNREAD_BODY);
    }

    /** Jetty's own words ("bad multipart") without its class names. */
    private static String innermostMessage(Throwable e) {
        String message = null;
        for (Throwable t = e; t != null; t = t.getCause()) {
            if (t.getMessage() != null && !t.getMessage().isBlank()) message = t.getMessage();
            if (t.getCause() == t) break;
        }
        if (message == null) return "unreadable";
        return message.replaceAll("^(?:[a-z][\\w.]*\\.)?[A-Z]\\w*(?:Exception|Error): ", "").replaceAll("^\\d{3}: ", "");
    }
}
