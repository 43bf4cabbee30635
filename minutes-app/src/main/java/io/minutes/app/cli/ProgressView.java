package io.minutes.app.cli;

import io.minutes.core.domain.BatchCounts;
import io.minutes.core.domain.MeetingState;
import io.minutes.core.engine.Eta;
import io.minutes.core.domain.ProgressEvent;
import io.minutes.core.domain.ProviderBatchProgress;
import io.minutes.core.port.EventSink;

import java.io.PrintStream;
import java.time.Clock;
import java.time.Duration;
import java.util.OptionalLong;

/**
 * The progress of one batch for a person: on a terminal a bar redrawn in place, otherwise a plain
 * line every couple of seconds and at the end. Failures and retries are printed as they happen.
 */
public final class ProgressView implements EventSink {
    private static final int BAR_WIDTH = 28;
    private static final long PLAIN_LINE_EVERY_NANOS = Duration.ofSeconds(2).toNanos();

    private final PrintStream out;
    private final boolean terminal;
    private final String batchId;
    private final Eta eta = new Eta(Clock.systemUTC());
    private BatchCounts last;
    /** The provider's counts of the provider batch last polled, while meetings of this batch wait in one. */
    private ProviderBatchProgress inProviderBatch;
    private long lastPlainLine;
    private boolean barShown;

    public ProgressView(PrintStream out, boolean terminal, String batchId, BatchCounts initial) {
        this.out = out;
        this.terminal = terminal;
        this.batchId = batchId;
        this.last = initial;
    }

    @Override
    public synchronized void publish(ProgressEvent event) {
        if (!event.batchId().equals(batchId)) return;
        if (event.providerBatch() != null) {
            inProviderBatch = event.providerBatch();
            draw(false);
            return;
        }
        if (event.counts().finished() >= last.finished()) last = event.counts();
        eta.observe(event);
        if (event.state() == MeetingState.FAILED) {
            note("failed: " + event.title() + " (attempt " + event.attempt() + "): " + event.failure().message());
        } else if (event.state() == MeetingState.QUEUED && event.failure() != null) {
            note("retrying: " + event.title() + " after attempt " + event.attempt() + ": " + event.failure().message());
        }
        draw(false);
    }

    /** A line for the person watching, printed above the bar. */
    public synchronized void message(String line) {
        note(line);
        out.flush();
    }

    public synchronized void finish(BatchCounts counts) {
        last = counts;
        draw(true);
        if (terminal && barShown) out.println();
        out.flush();
    }

    private void note(String line) {
        if (terminal && barShown) out.print("\r\033[K");
        out.println(line);
    }

    private void draw(boolean force) {
        long now = System.nanoTime();
        if (!terminal && !force && now - lastPlainLine < PLAIN_LINE_EVERY_NANOS) return;
        lastPlainLine = now;
        String line = line();
        if (terminal) {
            out.print("\r\033[K" + line);
            barShown = true;
        } else {
            out.println(line);
        }
        out.flush();
    }

    private String line() {
        int total = last.total();
        int done = last.finished();
        double rate = eta.rate(batchId);
        OptionalLong left = eta.secondsLeft(batchId, total - done);
        String etaText = left.isPresent() && done < total ? duration(left.getAsLong()) : "--";
        String bar = "";
        if (terminal) {
            int filled = total == 0 ? BAR_WIDTH : (int) ((long) BAR_WIDTH * done / total);
            bar = "[" + "#".repeat(filled) + ".".repeat(BAR_WIDTH - filled) + "] ";
        }
        String line = String.format("%s%d/%d done (%d completed, %d failed, %d skipped, %d running) %.1f/s ETA %s",
                bar, done, total, last.completed(), last.failed(), last.skipped(), last.running(), rate, etaText);
        return last.waiting() > 0 && inProviderBatch != null
                ? line + "; " + last.waiting() + " waiting " + inProviderBatch.describe() : line;
    }

    static String duration(long seconds) {
        return seconds >= 3600
                ? String.format("%d:%02d:%02d", seconds / 3600, seconds / 60 % 60, seconds % 60)
                : String.format("%d:%02d", seconds / 60, seconds % 60);
    }
}
