package io.minutes.app.cli;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * A reverse proxy in front of a Minutes service, as found in front of real ones: it forwards every
 * request, except that the server-sent events of a batch do not get through as the service sends them.
 */
final class EventsBlockingProxy implements AutoCloseable {
    /** What becomes of {@code GET .../events}. */
    enum Events {
        /** answered 404, as by a gateway that routes only known paths */
        NOT_FOUND,
        /** forwarded until the first event, then the stream ends, as an idle timeout of a proxy ends it */
        DROPPED_AFTER_FIRST,
        /** answered 200 text/event-stream, but nothing comes: a proxy that buffers responses (held until close) */
        HELD_BACK
    }

    private static final List<String> FORWARDED_HEADERS = List.of("Authorization", "Content-Type", "Accept");
    private static final List<String> RETURNED_HEADERS = List.of("Content-Type", "Location", "Retry-After");

    private final URI upstream;
    private final Events events;
    private final HttpServer server;
    private final ExecutorService threads = Executors.newVirtualThreadPerTaskExecutor();
    private final HttpClient http = HttpClient.newHttpClient();
    private final CountDownLatch closing = new CountDownLatch(1);
    /** GETs of a batch's status: the polls of a client that cannot follow the events. */
    final AtomicInteger statusReads = new AtomicInteger();
    final AtomicInteger eventRequests = new AtomicInteger();

    EventsBlockingProxy(String upstream, Events events) throws IOException {
        this.upstream = URI.create(upstream);
        this.events = events;
        server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
        server.setExecutor(threads);
        server.createContext("/", this::handle);
        server.start();
    }

    String url() {
        return "http://127.0.0.1:" + server.getAddress().getPort();
    }

    private void handle(HttpExchange exchange) throws IOException {
        try (exchange) {
            String path = exchange.getRequestURI().getRawPath();
            if (path.endsWith("/events")) {
                eventRequests.incrementAndGet();
                switch (events) {
                    case NOT_FOUND -> {
                        byte[] body = "404 page not found\n".getBytes(StandardCharsets.UTF_8);
                        exchange.getResponseHeaders().set("Content-Type", "text/plain");
                        exchange.sendResponseHeaders(404, body.length);
                        exchange.getResponseBody().write(body);
                    }
                    case DROPPED_AFTER_FIRST -> forwardFirstEvent(exchange);
                    case HELD_BACK -> {
                        exchange.getResponseHeaders().set("Content-Type", "text/event-stream");
                        exchange.sendResponseHeaders(200, 0);
                        exchange.getResponseBody().flush();
                        closing.await(60, TimeUnit.SECONDS);
                    }
                }
                return;
            }
            if (exchange.getRequestMethod().equals("GET") && path.matches("/api/v1/meetings/batch/batch_[^/]+")) {
                statusReads.incrementAndGet();
            }
            forward(exchange);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    private HttpResponse<InputStream> send(HttpExchange exchange) throws IOException, InterruptedException {
        URI target = upstream.resolve(exchange.getRequestURI().getRawPath()
                + (exchange.getRequestURI().getRawQuery() == null ? "" : "?" + exchange.getRequestURI().getRawQuery()));
        HttpRequest.Builder request = HttpRequest.newBuilder(target);
        for (String name : FORWARDED_HEADERS) {
            String value = exchange.getRequestHeaders().getFirst(name);
            if (value != null) request.header(name, value);
        }
        byte[] body = exchange.getRequestBody().readAllBytes();
        request.method(exchange.getRequestMethod(), body.length == 0 ? HttpRequest.BodyPublishers.noBody()
                : HttpRequest.BodyPublishers.ofByteArray(body));
        return http.send(request.build(), HttpResponse.BodyHandlers.ofInputStream());
    }

    private void answerHeaders(HttpExchange exchange, HttpResponse<?> response) throws IOException {
        for (String name : RETURNED_HEADERS) {
            response.headers().firstValue(name).ifPresent(v -> exchange.getResponseHeaders().set(name, v));
        }
        exchange.sendResponseHeaders(response.statusCode(), 0);
    }

    private void forward(HttpExchange exchange) throws IOException, InterruptedException {
        HttpResponse<InputStream> response = send(exchange);
        answerHeaders(exchange, response);
        try (InputStream in = response.body(); OutputStream out = exchange.getResponseBody()) {
            in.transferTo(out);
        }
    }

    private void forwardFirstEvent(HttpExchange exchange) throws IOException, InterruptedException {
        HttpResponse<InputStream> response = send(exchange);
        answerHeaders(exchange, response);
        try (BufferedReader in = new BufferedReader(new InputStreamReader(response.body(), StandardCharsets.UTF_8))) {
            OutputStream out = exchange.getResponseBody();
            boolean sawData = false;
            for (String line = in.readLine(); line != null; line = in.readLine()) {
                out.write((line + "\n").getBytes(StandardCharsets.UTF_8));
                out.flush();
                if (line.startsWith("data: ")) sawData = true;
                if (line.isEmpty() && sawData) break; // the first event is complete: the stream ends here
            }
        }
    }

    @Override
    public void close() {
        closing.countDown();
        server.stop(0);
        threads.shutdownNow();
    }
}
