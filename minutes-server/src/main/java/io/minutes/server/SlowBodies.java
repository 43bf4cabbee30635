package io.minutes.server;

import org.eclipse.jetty.http.BadMessageException;
import org.eclipse.jetty.io.Content;
import org.eclipse.jetty.server.Handler;
import org.eclipse.jetty.server.Request;
import org.eclipse.jetty.server.Response;
import org.eclipse.jetty.server.Server;
import org.eclipse.jetty.util.Callback;
import org.eclipse.jetty.util.component.LifeCycle;

import java.time.Duration;

/**
 * Cuts request bodies that arrive slower than {@code minBytesPerSecond}, judged from the request's start
 * but only once {@code grace} has passed (Kestrel's MinDataRate does the same). Jetty's own minimum data
 * rate judges from the first byte with no grace, so a body of a few bytes read a few milliseconds late —
 * a GC pause, a busy machine — was refused as too slow (jetty/jetty.project#4641): a 14-byte JSON batch
 * got a 408 read 15 ms after it arrived.
 */
final class SlowBodies extends Handler.Wrapper {
    private final long minBytesPerSecond;
    private final long graceNanos;

    SlowBodies(long minBytesPerSecond, Duration grace) {
        this.minBytesPerSecond = minBytesPerSecond;
        this.graceNanos = grace.toNanos();
    }

    /** Wraps the handler {@code server} is given, once it starts (Javalin sets it just before). */
    void guard(Server server) {
        server.addEventListener(new LifeCycle.Listener() {
            @Override
            public void lifeCycleStarting(LifeCycle event) {
                setHandler(server.getHandler());
                server.setHandler(SlowBodies.this);
            }
        });
    }

    @Override
    public boolean handle(Request request, Response response, Callback callback) throws Exception {
        return super.handle(new Timed(request), response, callback);
    }

    private final class Timed extends Request.Wrapper {
        private final long startedAt = System.nanoTime();
        private long bytesRead;

        Timed(Request request) {
            super(request);
        }

        @Override
        public Content.Chunk read() {
            Content.Chunk chunk = super.read();
            if (chunk == null || Content.Chunk.isFailure(chunk)) return chunk;
            bytesRead += chunk.remaining();
            long elapsed = System.nanoTime() - startedAt;
            if (!chunk.isLast() && elapsed > graceNanos && bytesRead * 1_000_000_000.0 / elapsed < minBytesPerSecond) {
                chunk.release();
                return Content.Chunk.from(new BadMessageException(408, "Request content data rate < " + minBytesPerSecond
                        + " B/s after the first " + Duration.ofNanos(graceNanos).toSeconds() + " s"), true);
            }
            return chunk;
        }
    }
}
