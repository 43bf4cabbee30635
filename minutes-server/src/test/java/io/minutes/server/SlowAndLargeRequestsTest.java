package io.minutes.server;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.InputStream;
import java.io.OutputStream;
import java.net.Socket;
import java.net.SocketException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * Clients that send too slowly or too much, over real sockets. Seen: 150 slowloris connections (headers
 * dribbled a byte at a time) stayed open for 60 s; 12 JSON bodies of 400 MB left the server at 4.4 GB RSS.
 */
class SlowAndLargeRequestsTest {
    @TempDir
    Path dir;
    TestService svc;

    @AfterEach
    void stop() {
        if (svc != null) svc.close();
    }

    /** True once the server closed {@code socket} (read answers end of stream or a reset). */
    private static boolean closedByServer(Socket socket) {
        try {
            socket.setSoTimeout(200);
            InputStream in = socket.getInputStream();
            while (true) {
                int b = in.read();
                if (b < 0) return true;
            }
        } catch (java.net.SocketTimeoutException e) {
            return false;
        } catch (java.io.IOException e) {
            return true;
        }
    }

    @Test
    void slowlorisConnectionsDribblingHeadersWereNeverClosed() throws Exception {
        svc = new TestService(dir, 1_000, 10_000_000, 10_000, Duration.ofSeconds(30), new io.minutes.core.analysis.LocalAnalyzer(),
                Duration.ofSeconds(2));
        List<Socket> slow = new ArrayList<>();
        for (int i = 0; i < 20; i++) {
            Socket s = new Socket("127.0.0.1", svc.server.port());
            s.getOutputStream().write("GET /api/v1/health HTTP/1.1\r\nHost: x\r\n".getBytes(StandardCharsets.US_ASCII));
            slow.add(s);
        }
        Thread dribbler = Thread.ofVirtual().start(() -> {
            // one header byte per connection every 200 ms: never idle, never done
            while (!Thread.currentThread().isInterrupted()) {
                for (Socket s : slow) {
                    try {
                        OutputStream out = s.getOutputStream();
                        out.write('X');
                        out.flush();
                    } catch (java.io.IOException ignored) {
                        // closed by the server: what is expected
                    }
                }
                try {
                    Thread.sleep(200); // the attacker's pace, not a wait for the test
                } catch (InterruptedException e) {
                    return;
                }
            }
        });
        try {
            await().atMost(Duration.ofSeconds(30)).until(() -> slow.stream().allMatch(SlowAndLargeRequestsTest::closedByServer));
        } finally {
            dribbler.interrupt();
            for (Socket s : slow) s.close();
        }
        assertThat(svc.get("/api/v1/health").status()).as("the service goes on").isEqualTo(200);
    }

    @Test
    void aLongEventStreamAndAKeptAliveConnectionAreNotSlowClients() throws Exception {
        svc = new TestService(dir, 1_000, 10_000_000, 10_000, Duration.ofSeconds(30), new io.minutes.core.analysis.LocalAnalyzer(),
                Duration.ofSeconds(2));
        svc.gate.close();
        String id = svc.post("/api/v1/meetings/batch", TestService.batchOf("held")).json().path("batch_id").asText();
        try (Socket events = new Socket("127.0.0.1", svc.server.port())) {
            events.getOutputStream().write(("GET /api/v1/meetings/batch/" + id + "/events HTTP/1.1\r\nHost: x\r\n"
                    + "Accept: text/event-stream\r\n\r\n").getBytes(StandardCharsets.US_ASCII));
            events.setSoTimeout(30_000);
            InputStream in = events.getInputStream();
            StringBuilder seen = new StringBuilder();
            while (!seen.toString().contains("event: progress")) seen.append((char) in.read());
            // the stream is being handled: three header timeouts later it is still open
            long until = System.nanoTime() + Duration.ofSeconds(6).toNanos();
            await().atMost(Duration.ofSeconds(30)).until(() -> System.nanoTime() > until);
            assertThat(closedByServer(events)).isFalse();
            svc.gate.open();
            events.setSoTimeout(30_000);
            while (!seen.toString().contains("event: done")) seen.append((char) in.read());
        }
    }

    @Test
    void aJsonBodyOf400MegabytesWasReadWhole() throws Exception {
        svc = new TestService(dir, 1_000, 500_000_000, 10_000, Duration.ofSeconds(30));
        try (Socket socket = new Socket("127.0.0.1", svc.server.port())) {
            socket.setSoTimeout(30_000);
            OutputStream out = socket.getOutputStream();
            out.write(("POST /api/v1/meetings/batch HTTP/1.1\r\nHost: x\r\nContent-Type: application/json\r\n"
                    + "Content-Length: 400000000\r\n\r\n{\"meetings\": [").getBytes(StandardCharsets.US_ASCII));
            out.flush();
            String answer = new String(socket.getInputStream().readNBytes(2_000), StandardCharsets.UTF_8);
            assertThat(answer).startsWith("HTTP/1.1 413 ").contains("PAYLOAD_TOO_LARGE", "at most " + ServerOptions.MAX_JSON_BYTES, "upload");
        } catch (SocketException e) {
            throw new AssertionError("the server closed the connection without answering", e);
        }
        var chunked = svc.send(svc.request("/api/v1/meetings/batch").header("Content-Type", "application/json")
                .POST(java.net.http.HttpRequest.BodyPublishers.ofInputStream(() -> new InputStream() {
                    long left = ServerOptions.MAX_JSON_BYTES + 1_000_000;

                    @Override
                    public int read() {
                        return left-- > 0 ? ' ' : -1;
                    }
                })).build());
        assertThat(chunked.status()).isEqualTo(413);
        assertThat(chunked.json().path("limit").asLong()).isEqualTo(ServerOptions.MAX_JSON_BYTES);
    }

    @Test
    void moreSlowJsonBodiesThanAreReadAtOnceGetBusyNotAnUnboundedWait() throws Exception {
        svc = new TestService(dir);
        int clients = ServerOptions.MAX_JSON_BODIES_AT_ONCE + 1;
        List<java.util.concurrent.CompletableFuture<String>> answers = new ArrayList<>();
        java.util.concurrent.atomic.AtomicBoolean stop = new java.util.concurrent.atomic.AtomicBoolean();
        try (var senders = java.util.concurrent.Executors.newVirtualThreadPerTaskExecutor()) {
            for (int i = 0; i < clients; i++) {
                answers.add(java.util.concurrent.CompletableFuture.supplyAsync(() -> dripJsonUntilAnswered(stop), senders));
            }
            // every client drips faster than the slow-client floor; the one that got no reading slot is refused
            String busy = (String) java.util.concurrent.CompletableFuture.anyOf(answers.toArray(new java.util.concurrent.CompletableFuture[0]))
                    .get(90, java.util.concurrent.TimeUnit.SECONDS);
            stop.set(true);
            assertThat(busy).startsWith("HTTP/1.1 503 ").containsIgnoringCase("Retry-After: 5").contains("BUSY", "other JSON submissions");
        }
        assertThat(svc.get("/api/v1/meetings/batch").json().path("batches")).as("nothing was stored").isEmpty();
    }

    /** Sends a JSON body a few bytes at a time until the server answers (or {@code stop}); returns the answer's head. */
    private String dripJsonUntilAnswered(java.util.concurrent.atomic.AtomicBoolean stop) {
        try (Socket socket = new Socket("127.0.0.1", svc.server.port())) {
            OutputStream out = socket.getOutputStream();
            InputStream in = socket.getInputStream();
            out.write(("POST /api/v1/meetings/batch HTTP/1.1\r\nHost: x\r\nContent-Type: application/json\r\n"
                    + "Content-Length: 1000000\r\n\r\n{\"meetings\": [").getBytes(StandardCharsets.US_ASCII));
            byte[] drip = " ".repeat(1_500).getBytes(StandardCharsets.US_ASCII);
            while (!stop.get()) {
                if (in.available() > 0) {
                    socket.setSoTimeout(5_000);
                    return new String(in.readNBytes(Math.min(2_000, Math.max(in.available(), 400))), StandardCharsets.UTF_8);
                }
                out.write(drip);
                out.flush();
                Thread.sleep(300);
            }
            return "stopped";
        } catch (java.io.IOException e) {
            return "closed: " + e.getMessage();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return "interrupted";
        }
    }

    @Test
    void aTinyJsonBodyWhoseLastBytesCameAFewMillisecondsLateWasRefusedAsTooSlow() throws Exception {
        svc = new TestService(dir);
        String body = "{\"meetings\": [{\"title\": \"Split body\", \"transcript\": \"Ana: We ship on Friday.\"}]}";
        byte[] bytes = body.getBytes(StandardCharsets.UTF_8);
        try (Socket socket = new Socket("127.0.0.1", svc.server.port())) {
            socket.setSoTimeout(30_000);
            OutputStream out = socket.getOutputStream();
            out.write(("POST /api/v1/meetings/batch HTTP/1.1\r\nHost: x\r\nContent-Type: application/json\r\nConnection: close\r\n"
                    + "Content-Length: " + bytes.length + "\r\n\r\n").getBytes(StandardCharsets.US_ASCII));
            out.write(bytes, 0, 10);
            out.flush();
            Thread.sleep(300); // a client (or a network) that sends a small body in two segments
            out.write(bytes, 10, bytes.length - 10);
            out.flush();
            String answer = new String(socket.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
            assertThat(answer).startsWith("HTTP/1.1 202 ");
        }
    }

    @Test
    void aJsonBodyDrippingSlowerThanTheMinimumRateIsCutAfterTheGraceWithAProblem() throws Exception {
        svc = new TestService(dir);
        try (Socket socket = new Socket("127.0.0.1", svc.server.port())) {
            socket.setSoTimeout(60_000);
            OutputStream out = socket.getOutputStream();
            InputStream in = socket.getInputStream();
            out.write(("POST /api/v1/meetings/batch HTTP/1.1\r\nHost: x\r\nContent-Type: application/json\r\n"
                    + "Content-Length: 100000\r\n\r\n{\"meetings\": [").getBytes(StandardCharsets.US_ASCII));
            long started = System.nanoTime();
            try {
                while (in.available() == 0 && System.nanoTime() - started < Duration.ofSeconds(45).toNanos()) {
                    out.write("          ".getBytes(StandardCharsets.US_ASCII)); // 20 bytes a second
                    out.flush();
                    Thread.sleep(500);
                }
            } catch (SocketException closedWhileSending) {
                // the server answered and closed: read what it said
            }
            String answer = new String(in.readNBytes(2_000), StandardCharsets.UTF_8);
            assertThat(answer).startsWith("HTTP/1.1 408 ").contains("application/problem+json", "REQUEST_TOO_SLOW");
            assertThat(Duration.ofNanos(System.nanoTime() - started)).as("not cut before the grace")
                    .isGreaterThanOrEqualTo(MinutesServer.SLOW_BODY_GRACE);
        }
        assertThat(svc.get("/api/v1/meetings/batch").json().path("batches")).as("nothing was stored").isEmpty();
    }
}
