package io.minutes.server;

import org.eclipse.jetty.http.HttpParser;
import org.eclipse.jetty.io.Connection;
import org.eclipse.jetty.server.Connector;
import org.eclipse.jetty.server.Server;
import org.eclipse.jetty.server.internal.HttpConnection;
import org.eclipse.jetty.util.component.LifeCycle;

import java.time.Duration;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;

/**
 * Closes connections that send a request's headers too slowly to ever finish them (slowloris): a
 * connection whose HTTP parser has been in the middle of a request line or headers for
 * {@code headerTimeout} is closed, however many bytes it dribbles (an idle timeout alone restarts at
 * every byte). Idle keep-alive connections are left to the idle timeout, and a request being handled
 * (a long upload, an event stream) is not affected; slow bodies are bounded by Jetty's minimum request
 * data rate.
 */
final class SlowClients implements Connection.Listener, AutoCloseable {
    private final long headerTimeoutNanos;
    /** Each watched connection, with when it was last seen not in the middle of headers. */
    private final Map<Connection, Long> open = new ConcurrentHashMap<>();
    private final ScheduledExecutorService sweeper = Executors.newSingleThreadScheduledExecutor(r -> {
        Thread t = new Thread(r, "minutes-slow-clients");
        t.setDaemon(true);
        return t;
    });

    SlowClients(Duration headerTimeout) {
        this.headerTimeoutNanos = headerTimeout.toNanos();
        long every = Math.max(100, headerTimeout.toMillis() / 4);
        sweeper.scheduleWithFixedDelay(this::sweep, every, every, TimeUnit.MILLISECONDS);
    }

    /** Watches every connection of {@code server}'s connectors, from when the server starts. */
    void watch(Server server) {
        server.addEventListener(new LifeCycle.Listener() {
            @Override
            public void lifeCycleStarting(LifeCycle event) {
                for (Connector connector : server.getConnectors()) connector.addEventListener(SlowClients.this);
            }
        });
    }

    @Override
    public void onOpened(Connection connection) {
        // only HTTP/1 connections show their parser (Jetty's class, public though in an internal package)
        if (connection instanceof HttpConnection) open.put(connection, System.nanoTime());
    }

    @Override
    public void onClosed(Connection connection) {
        open.remove(connection);
    }

    private void sweep() {
        long now = System.nanoTime();
        open.replaceAll((connection, since) -> {
            HttpParser parser = ((HttpConnection) connection).getParser();
            boolean midHeaders = parser.inHeaderState() && !parser.isStart();
            if (!midHeaders) return now;
            if (now - since >= headerTimeoutNanos) connection.close(); // onClosed forgets it
            return since;
        });
    }

    @Override
    public void close() {
        sweeper.shutdownNow();
    }
}
