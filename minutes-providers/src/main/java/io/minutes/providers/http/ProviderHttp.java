package io.minutes.providers.http;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.minutes.core.domain.Failure;
import io.minutes.core.domain.RateLimitSnapshot;
import io.minutes.core.port.RateLimitObserver;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpHeaders;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.net.http.HttpTimeoutException;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicReference;

/**
 * Calls one provider over HTTP for every adapter that talks to it: timeouts, JSON bodies, response
 * headers kept, every response's rate-limit headers reported to the {@link RateLimitObserver}, every
 * failure classified by {@link ErrorTable} and thrown as a {@link ProviderException}.
 *
 * <p>After a 401 or 403 it latches: every later call fails at once with the same explanation and
 * sends nothing, so a wrong key costs one request per run, not one per meeting.
 *
 * <p>The API key is never part of a message, a log line or {@link #toString()}.
 */
public final class ProviderHttp {
    /** The JSON mapper every adapter uses. */
    public static final ObjectMapper JSON = new ObjectMapper()
            .configure(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES, false);

    /** Connection and per-request timeouts; {@code request} bounds the whole exchange, body included. */
    public record Timeouts(Duration connect, Duration request) {
        public static final Timeouts DEFAULT = new Timeouts(Duration.ofSeconds(10), Duration.ofSeconds(120));

        public Timeouts {
            Objects.requireNonNull(connect, "connect");
            Objects.requireNonNull(request, "request");
        }
    }

    /** A 2xx response: status, headers and body as text. */
    public record Response(int status, HttpHeaders headers, String body) {
        public JsonNode json() throws ProviderException {
            try {
                return JSON.readTree(body);
            } catch (JsonProcessingException e) {
                throw new ProviderException(ErrorKind.TRANSIENT, Failure.Cause.INVALID_ANSWER, status,
                        "answered HTTP " + status + " with a body that is not JSON (" + e.getOriginalMessage() + ")", null);
            }
        }
    }

    private final String provider;
    private final String secret;
    private final String authHint;
    private final Timeouts timeouts;
    private final RateLimitObserver observer;
    private final Clock clock;
    private final HttpClient client;
    private final AtomicReference<ProviderException> authFailure;

    /**
     * @param provider the provider name users know ("openai"), used in messages and for the observer
     * @param secret   the API key, masked out of messages (null when none)
     * @param authHint what to fix after a 401/403, e.g. "set OPENAI_API_KEY or --api-key-env"
     */
    public ProviderHttp(String provider, String secret, String authHint, Timeouts timeouts,
                        RateLimitObserver observer, Clock clock) {
        this.provider = provider;
        this.secret = secret;
        this.authHint = authHint;
        this.timeouts = timeouts;
        this.observer = observer;
        this.clock = clock;
        this.client = HttpClient.newBuilder().connectTimeout(timeouts.connect())
                .followRedirects(HttpClient.Redirect.NORMAL).build();
        this.authFailure = new AtomicReference<>();
    }

    private ProviderHttp(ProviderHttp same, Timeouts timeouts) {
        this.provider = same.provider;
        this.secret = same.secret;
        this.authHint = same.authHint;
        this.timeouts = timeouts;
        this.observer = same.observer;
        this.clock = same.clock;
        this.client = same.client;
        this.authFailure = same.authFailure;
    }

    /**
     * The same provider, client and authentication latch (a 401 on either stops both), with calls that may take up
     * to {@code request}: OpenAI's flex tier answers more slowly.
     */
    public ProviderHttp withRequestTimeout(Duration request) {
        return new ProviderHttp(this, new Timeouts(timeouts.connect(), request));
    }

    /** How long one call may take, body included. */
    public Duration requestTimeout() {
        return timeouts.request();
    }

    public String provider() {
        return provider;
    }

    /** POSTs {@code body} as JSON with {@code headers}. */
    public Response postJson(URI uri, Map<String, String> headers, Object body) throws ProviderException {
        String json;
        try {
            json = JSON.writeValueAsString(body);
        } catch (JsonProcessingException e) {
            throw new IllegalArgumentException("request body cannot be written as JSON", e);
        }
        HttpRequest.Builder request = HttpRequest.newBuilder(uri)
                .header("content-type", "application/json")
                .header("accept", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString(json, StandardCharsets.UTF_8));
        headers.forEach(request::header);
        return send(request);
    }

    /** GETs {@code uri} with {@code headers}, expecting JSON. */
    public Response get(URI uri, Map<String, String> headers) throws ProviderException {
        HttpRequest.Builder request = HttpRequest.newBuilder(uri).header("accept", "application/json").GET();
        headers.forEach(request::header);
        return send(request);
    }

    /** DELETEs {@code uri} with {@code headers}. */
    public Response delete(URI uri, Map<String, String> headers) throws ProviderException {
        HttpRequest.Builder request = HttpRequest.newBuilder(uri).header("accept", "application/json").DELETE();
        headers.forEach(request::header);
        return send(request);
    }

    /** Reads a response body one line at a time. */
    @FunctionalInterface
    public interface LineReader {
        void line(String line) throws ProviderException;
    }

    /**
     * GETs {@code uri} and gives each line of a 2xx body to {@code each} as it arrives, holding one line at a time
     * (a file of any size in constant memory). The request timeout bounds the wait for the headers; the body may
     * take as long as it streams. A non-2xx answer is classified as for {@link #send}.
     */
    public void lines(URI uri, Map<String, String> headers, LineReader each) throws ProviderException {
        ProviderException refused = authFailure.get();
        if (refused != null) {
            throw new ProviderException(ErrorKind.AUTHENTICATION, refused.failure().cause(), refused.status(),
                    "not sent: " + refused.getMessage(), null);
        }
        HttpRequest.Builder builder = HttpRequest.newBuilder(uri).timeout(timeouts.request()).GET();
        headers.forEach(builder::header);
        HttpRequest request = builder.build();
        if ("http".equalsIgnoreCase(request.uri().getScheme())) {
            request = HttpRequest.newBuilder(request, (name, value) -> true).version(HttpClient.Version.HTTP_1_1).build();
        }
        String url = request.uri().toString();
        HttpResponse<java.io.InputStream> response;
        try {
            response = client.send(request, HttpResponse.BodyHandlers.ofInputStream());
        } catch (IOException e) {
            throw ErrorTable.ioFailure(provider, url, e, timeouts.request(), timeouts.connect(), secret);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new ProviderException(ErrorKind.TRANSIENT, Failure.Cause.INTERRUPTED, 0, provider + ": call to " + url + " interrupted", null, e);
        }
        try (java.io.BufferedReader reader = new java.io.BufferedReader(
                new java.io.InputStreamReader(response.body(), StandardCharsets.UTF_8))) {
            int status = response.statusCode();
            if (status < 200 || status >= 300) {
                String body = reader.lines().collect(java.util.stream.Collectors.joining("\n"));
                ProviderException failure = ErrorTable.classify(provider, status, response.headers(), body,
                        clock.instant(), authHint, secret);
                if (failure.kind() == ErrorKind.RATE_LIMITED) observer.rateLimited(provider, failure.retryAfter());
                if (failure.kind() == ErrorKind.AUTHENTICATION) authFailure.compareAndSet(null, failure);
                throw failure;
            }
            for (String line = reader.readLine(); line != null; line = reader.readLine()) {
                if (!line.isBlank()) each.line(line);
            }
        } catch (IOException e) {
            throw ErrorTable.ioFailure(provider, url, e, timeouts.request(), timeouts.connect(), secret);
        }
    }

    /**
     * What an error this provider reported inside a 2xx answer means (a batch line's {@code status_code} and
     * body), by the same table as a call's.
     */
    public ProviderException classify(int status, String body) {
        return ErrorTable.classify(provider, status, HttpHeaders.of(Map.of(), (name, value) -> true), body,
                clock.instant(), authHint, secret);
    }

    /**
     * Sends any request (e.g. a multipart upload) with this provider's timeout, rate-limit reporting,
     * error classification and authentication latch; returns only 2xx responses.
     */
    public Response send(HttpRequest.Builder request) throws ProviderException {
        ProviderException refused = authFailure.get();
        if (refused != null) {
            throw new ProviderException(ErrorKind.AUTHENTICATION, refused.failure().cause(), refused.status(),
                    "not sent: " + refused.getMessage(), null);
        }
        HttpRequest built = request.timeout(timeouts.request()).build();
        if ("http".equalsIgnoreCase(built.uri().getScheme())) {
            built = HttpRequest.newBuilder(built, (name, value) -> true).version(HttpClient.Version.HTTP_1_1).build();
        }
        String url = built.uri().toString();
        HttpResponse<String> response = exchange(built, url);
        RateLimitSnapshot snapshot = RateLimitHeaders.snapshot(response.headers(), clock.instant());
        if (!snapshot.isEmpty()) observer.observed(provider, snapshot);
        int status = response.statusCode();
        if (status >= 200 && status < 300) return new Response(status, response.headers(), response.body());

        ProviderException failure = ErrorTable.classify(provider, status, response.headers(), response.body(),
                clock.instant(), authHint, secret);
        if (failure.kind() == ErrorKind.RATE_LIMITED) observer.rateLimited(provider, failure.retryAfter());
        if (failure.kind() == ErrorKind.AUTHENTICATION) authFailure.compareAndSet(null, failure);
        throw failure;
    }

    /**
     * The whole exchange (connect, headers and body) within the request timeout: the request's own
     * timeout stops at the headers, so a provider that stalls or drips its body would otherwise hold
     * the meeting for as long as it likes. On time-out the exchange is cancelled, closing its connection.
     */
    private HttpResponse<String> exchange(HttpRequest request, String url) throws ProviderException {
        CompletableFuture<HttpResponse<String>> call =
                client.sendAsync(request, HttpResponse.BodyHandlers.ofString(StandardCharsets.UTF_8));
        try {
            return call.get(timeouts.request().toMillis(), TimeUnit.MILLISECONDS);
        } catch (TimeoutException e) {
            call.cancel(true);
            throw ErrorTable.ioFailure(provider, url, new HttpTimeoutException("request timed out"),
                    timeouts.request(), timeouts.connect(), secret);
        } catch (ExecutionException e) {
            if (e.getCause() instanceof IOException io) {
                throw ErrorTable.ioFailure(provider, url, io, timeouts.request(), timeouts.connect(), secret);
            }
            throw new IllegalStateException(provider + ": call to " + url + " failed", e.getCause());
        } catch (InterruptedException e) {
            call.cancel(true);
            Thread.currentThread().interrupt();
            throw new ProviderException(ErrorKind.TRANSIENT, Failure.Cause.INTERRUPTED, 0, provider + ": call to " + url + " interrupted", null, e);
        }
    }

    /** Masks the API key out of text that may echo it (e.g. an answer quoted in a message). */
    public String mask(String text) {
        return ErrorTable.mask(text, secret);
    }

    @Override
    public String toString() {
        return "ProviderHttp[" + provider + "]";
    }
}
