package io.minutes.providers.http;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * A real HTTP/1.1 server on 127.0.0.1 that answers 200 with its headers and a {@code Content-Length}
 * for the whole body, then either stalls after half the body ({@link #stallingMidBody}) or sends the
 * body one byte every {@code interval} ({@link #dripping}): what a provider stuck behind a broken
 * proxy looks like. It notices when the client gives up (its connection closes).
 */
public final class StallingHttpServer implements AutoCloseable {
    private final ServerSocket socket;
    private final Thread acceptor;
    private final String body;
    private final Duration dripInterval;
    private final CountDownLatch released = new CountDownLatch(1);
    private final AtomicInteger requests = new AtomicInteger();
    private final AtomicInteger clientsGone = new AtomicInteger();

    private StallingHttpServer(String body, Duration dripInterval) throws IOException {
        this.body = body;
        this.dripInterval = dripInterval;
        this.socket = new ServerSocket(0, 50, InetAddress.getLoopbackAddress());
        this.acceptor = Thread.ofPlatform().daemon().name("stalling-http").start(this::accept);
    }

    /** Sends the headers and the first half of {@code body}, then nothing until closed. */
    public static StallingHttpServer stallingMidBody(String body) throws IOException {
        return new StallingHttpServer(body, null);
    }

    /** Sends the headers, then {@code body} one byte every {@code interval}. */
    public static StallingHttpServer dripping(String body, Duration interval) throws IOException {
        return new StallingHttpServer(body, interval);
    }

    public String baseUrl() {
        return "http://127.0.0.1:" + socket.getLocalPort();
    }

    /** Requests whose headers were read. */
    public int requests() {
        return requests.get();
    }

    /** Exchanges the client closed before the server was done with them. */
    public int clientsGone() {
        return clientsGone.get();
    }

    private void accept() {
        while (!socket.isClosed()) {
            try {
                Socket client = socket.accept();
                Thread.ofVirtual().start(() -> serve(client));
            } catch (IOException e) {
                return;
            }
        }
    }

    private void serve(Socket client) {
        try (client) {
            readRequest(client.getInputStream());
            requests.incrementAndGet();
            byte[] bytes = body.getBytes(StandardCharsets.UTF_8);
            OutputStream out = client.getOutputStream();
            out.write(("HTTP/1.1 200 OK\r\ncontent-type: application/json\r\ncontent-length: " + bytes.length
                    + "\r\n\r\n").getBytes(StandardCharsets.US_ASCII));
            out.flush();
            if (dripInterval == null) {
                out.write(bytes, 0, bytes.length / 2);
                out.flush();
                // the client closing shows as end of stream on the read side
                if (client.getInputStream().read() < 0) clientsGone.incrementAndGet();
                released.await();
            } else {
                for (byte b : bytes) {
                    if (released.await(dripInterval.toMillis(), java.util.concurrent.TimeUnit.MILLISECONDS)) return;
                    out.write(b);
                    out.flush();
                }
            }
        } catch (IOException e) {
            clientsGone.incrementAndGet();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    /** Reads the request line, headers and a Content-Length body. */
    private static void readRequest(InputStream in) throws IOException {
        StringBuilder head = new StringBuilder();
        int c;
        while ((c = in.read()) >= 0) {
            head.append((char) c);
            if (head.length() >= 4 && head.substring(head.length() - 4).equals("\r\n\r\n")) break;
        }
        int length = 0;
        for (String line : head.toString().split("\r\n")) {
            int colon = line.indexOf(':');
            if (colon > 0 && line.substring(0, colon).trim().equalsIgnoreCase("content-length")) {
                length = Integer.parseInt(line.substring(colon + 1).trim());
            }
        }
        in.readNBytes(length);
    }

    @Override
    public void close() throws IOException {
        released.countDown();
        socket.close();
        try {
            acceptor.join(Duration.ofSeconds(5));
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
