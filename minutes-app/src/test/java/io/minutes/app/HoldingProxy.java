package io.minutes.app;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;

import java.io.IOException;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.BiPredicate;

/**
 * An HTTP proxy in front of a provider emulator that holds the first request matching a rule at a chosen
 * point, so a test can kill the client there: before the request reaches the provider ({@link Hold#REQUEST}),
 * after the provider handled it but before the client hears the answer ({@link Hold#RESPONSE}), or halfway
 * through the answer's body ({@link Hold#HALF_BODY}). Everything else, and everything after, passes through; URLs
 * of the provider in its JSON answers are rewritten to this proxy's, so the client follows them through it.
 */
final class HoldingProxy implements AutoCloseable {
    enum Hold { REQUEST, RESPONSE, HALF_BODY }

    private static final Set<String> NOT_FORWARDED = Set.of("host", "content-length", "connection", "transfer-encoding",
            "upgrade", "expect", "keep-alive");

    private final String target;
    private final BiPredicate<String, String> matches;
    private final Hold hold;
    private final HttpServer server;
    private final HttpClient client = HttpClient.newHttpClient();
    private final AtomicBoolean armed = new AtomicBoolean(true);
    private final CountDownLatch holding = new CountDownLatch(1);
    private final CountDownLatch released = new CountDownLatch(1);

    /** {@code matches}: (method, path) of the request to hold, once. */
    HoldingProxy(String targetOrigin, BiPredicate<String, String> matches, Hold hold) throws IOException {
        this.target = targetOrigin;
        this.matches = matches;
        this.hold = hold;
        this.server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
        server.setExecutor(Executors.newVirtualThreadPerTaskExecutor());
        server.createContext("/", this::handle);
        server.start();
    }

    String baseUrl() {
        return "http://127.0.0.1:" + server.getAddress().getPort() + "/v1";
    }

    /** Whether the matching request is being held now. */
    boolean holding() {
        return holding.getCount() == 0;
    }

    private void handle(HttpExchange exchange) throws IOException {
        String method = exchange.getRequestMethod();
        String path = exchange.getRequestURI().getPath();
        boolean held = matches.test(method, path) && armed.compareAndSet(true, false);
        if (held && hold == Hold.REQUEST) waitHere();
        byte[] body = exchange.getRequestBody().readAllBytes();
        HttpRequest.Builder forward = HttpRequest.newBuilder(URI.create(target + exchange.getRequestURI()))
                .method(method, body.length == 0 ? HttpRequest.BodyPublishers.noBody() : HttpRequest.BodyPublishers.ofByteArray(body));
        exchange.getRequestHeaders().forEach((name, values) -> {
            if (!NOT_FORWARDED.contains(name.toLowerCase(java.util.Locale.ROOT))) values.forEach(v -> forward.header(name, v));
        });
        HttpResponse<byte[]> answer;
        try {
            answer = client.send(forward.build(), HttpResponse.BodyHandlers.ofByteArray());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            exchange.sendResponseHeaders(502, -1);
            return;
        }
        if (held && hold == Hold.RESPONSE) waitHere();
        answer.headers().map().forEach((name, values) -> {
            if (!NOT_FORWARDED.contains(name.toLowerCase(java.util.Locale.ROOT)) && !name.startsWith(":")) {
                exchange.getResponseHeaders().put(name, List.copyOf(values));
            }
        });
        byte[] bytes = sameOrigin(answer);
        exchange.sendResponseHeaders(answer.statusCode(), bytes.length == 0 ? -1 : bytes.length);
        try (OutputStream out = exchange.getResponseBody()) {
            if (held && hold == Hold.HALF_BODY) {
                out.write(bytes, 0, bytes.length / 2);
                out.flush();
                waitHere();
                out.write(bytes, bytes.length / 2, bytes.length - bytes.length / 2);
            } else {
                out.write(bytes);
            }
        } catch (IOException gone) {
            // the client was killed while it waited: nothing to answer
        }
    }

    /**
     * The answer's body, with the provider's own address in a JSON answer replaced by this proxy's, as a reverse proxy
     * rewrites it: a URL the provider hands out (Anthropic's {@code results_url}) is then fetched through here too.
     */
    private byte[] sameOrigin(HttpResponse<byte[]> answer) {
        boolean json = answer.headers().firstValue("content-type").orElse("").contains("json");
        if (!json) return answer.body();
        String origin = "http://127.0.0.1:" + server.getAddress().getPort();
        return new String(answer.body(), StandardCharsets.UTF_8).replace(target, origin).getBytes(StandardCharsets.UTF_8);
    }

    private void waitHere() {
        holding.countDown();
        try {
            released.await(5, TimeUnit.MINUTES);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    void release() {
        released.countDown();
    }

    @Override
    public void close() {
        release();
        server.stop(0);
    }
}
