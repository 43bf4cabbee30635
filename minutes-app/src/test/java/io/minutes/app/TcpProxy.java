package io.minutes.app;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.time.Duration;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * A TCP proxy between Minutes and a real server (PostgreSQL), for outages without touching the server:
 * {@link #cut} closes every proxied connection and stops listening, so new connections are refused
 * (RST, as from a server that is down) until it listens again on the same port.
 */
final class TcpProxy implements AutoCloseable {
    private final InetSocketAddress upstream;
    private final int port;
    private final Set<Socket> open = ConcurrentHashMap.newKeySet();
    private final ScheduledExecutorService timer = Executors.newSingleThreadScheduledExecutor();
    private final AtomicInteger cuts = new AtomicInteger();
    private volatile ServerSocket listener;
    private volatile boolean closed;

    TcpProxy(String upstreamHost, int upstreamPort) throws IOException {
        this.upstream = new InetSocketAddress(upstreamHost, upstreamPort);
        ServerSocket first = listen(0);
        this.port = first.getLocalPort();
        serve(first);
    }

    int port() {
        return port;
    }

    /** How many cuts have ended (the proxy listens again after each). */
    int cutsOver() {
        return cuts.get();
    }

    /** Cuts every connection now and refuses new ones for {@code outage}; returns at once. */
    synchronized void cut(Duration outage) throws IOException {
        ServerSocket current = listener;
        listener = null;
        if (current != null) current.close();
        for (Socket socket : open) closeQuietly(socket);
        timer.schedule(() -> {
            try {
                if (!closed) serve(listen(port));
                cuts.incrementAndGet();
            } catch (IOException e) {
                throw new IllegalStateException("could not listen on " + port + " again", e);
            }
        }, outage.toMillis(), TimeUnit.MILLISECONDS);
    }

    private static ServerSocket listen(int port) throws IOException {
        ServerSocket socket = new ServerSocket();
        socket.setReuseAddress(true);
        socket.bind(new InetSocketAddress("127.0.0.1", port), 200);
        return socket;
    }

    private void serve(ServerSocket socket) {
        listener = socket;
        Thread.ofVirtual().start(() -> {
            while (!socket.isClosed()) {
                try {
                    Socket client = socket.accept();
                    Socket server = new Socket();
                    server.connect(upstream, 5_000);
                    open.add(client);
                    open.add(server);
                    if (listener != socket) { // cut while connecting
                        closeQuietly(client);
                        closeQuietly(server);
                        continue;
                    }
                    pump(client, server);
                    pump(server, client);
                } catch (IOException e) {
                    // closed by a cut, or the upstream refused: the client sees its connection end
                }
            }
        });
    }

    private void pump(Socket from, Socket to) {
        Thread.ofVirtual().start(() -> {
            try (InputStream in = from.getInputStream(); OutputStream out = to.getOutputStream()) {
                in.transferTo(out);
            } catch (IOException e) {
                // cut
            } finally {
                closeQuietly(from);
                closeQuietly(to);
            }
        });
    }

    private void closeQuietly(Socket socket) {
        open.remove(socket);
        try {
            socket.close();
        } catch (IOException ignored) {
            // already closed
        }
    }

    @Override
    public void close() throws IOException {
        closed = true;
        timer.shutdownNow();
        ServerSocket current = listener;
        if (current != null) current.close();
        for (Socket socket : open) closeQuietly(socket);
    }
}
