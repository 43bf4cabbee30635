package io.minutes.app;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;

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
    /** The marker {@link #loseTheAnswerToACommitAfter} armed; null when no answer is to be lost. */
    private final AtomicReference<String> answerLoss = new AtomicReference<>();
    private final AtomicInteger answersLost = new AtomicInteger();

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
                    pump(client, server, new AnswerLoss());
                    pump(server, client, null);
                } catch (IOException e) {
                    // closed by a cut, or the upstream refused: the client sees its connection end
                }
            }
        });
    }

    /**
     * Once armed, the next connection that sends {@code marker} in a statement (PostgreSQL's protocol: the
     * statement's text in a Parse message) and then commits is cut as soon as the COMMIT is passed on: the
     * server keeps the transaction, the client never hears so (a database restarting as it answered).
     * Returns at once; {@link #answersLost} counts the connections cut so.
     */
    void loseTheAnswerToACommitAfter(String marker) {
        answerLoss.set(marker);
    }

    int answersLost() {
        return answersLost.get();
    }

    /** What one client connection sent since it last committed, while a loss is armed. */
    private final class AnswerLoss {
        private boolean marked;

        /** Whether to cut the connection once this chunk from the client is passed on. */
        boolean cutAfter(byte[] chunk, int length) {
            String marker = answerLoss.get();
            if (marker == null) return false;
            String text = new String(chunk, 0, length, StandardCharsets.ISO_8859_1);
            if (text.contains(marker)) {
                marked = true;
                return false;
            }
            // the transaction's next statements are parsed with their text (P); its COMMIT is parsed with its
            // text the first time on a connection, then bound to that prepared statement by name (B)
            if (!marked || !text.contains("COMMIT") && chunk[0] == 'P') return false;
            marked = false;
            if (!answerLoss.compareAndSet(marker, null)) return false; // another connection took it
            answersLost.incrementAndGet();
            return true;
        }
    }

    private void pump(Socket from, Socket to, AnswerLoss loss) {
        Thread.ofVirtual().start(() -> {
            try (InputStream in = from.getInputStream(); OutputStream out = to.getOutputStream()) {
                byte[] chunk = new byte[16 * 1024];
                for (int n = in.read(chunk); n >= 0; n = in.read(chunk)) {
                    out.write(chunk, 0, n);
                    out.flush();
                    if (loss != null && loss.cutAfter(chunk, n)) break;
                }
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
