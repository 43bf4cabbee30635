package io.minutes.server;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.javalin.http.Context;
import io.minutes.core.domain.Batch;
import io.minutes.core.domain.Meeting;
import io.minutes.core.port.BatchStore;
import io.minutes.core.port.StoreUnavailableException;

import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.HashMap;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.function.Supplier;
import java.util.stream.Collectors;

/** A batch's progress as server-sent events. */
final class BatchEvents {
    private static final Duration SSE_CHECK = Duration.ofSeconds(5);
    private static final Duration SSE_STORE_RETRY = Duration.ofSeconds(1);

    private final BatchStore store;
    private final EventHub hub;
    private final BatchReads reads;

    BatchEvents(BatchStore store, EventHub hub, BatchReads reads) {
        this.store = store;
        this.hub = hub;
        this.reads = reads;
    }

    /**
     * Server-sent events, written by hand so a missing batch is a plain 404 and the order is ours:
     * a {@code progress} snapshot first, then {@code meeting} and {@code progress} events as they
     * happen, and {@code done} when the batch is finished. The store is asked again now and then, for
     * changes no event reports (another node, a cancel). Every frame has an id of its own, and the
     * counts never go back: an event published late carries the counts of its moment, which
     * {@link SseCounts} keeps from undoing what the stream already told.
     */
    void events(Context ctx) throws IOException, InterruptedException {
        String id = ctx.pathParam("id");
        BlockingQueue<EventHub.Sequenced> queue = new LinkedBlockingQueue<>();
        Map<String, String> lastSent = new HashMap<>();
        try (EventHub.Subscription ignored = hub.subscribe(id, queue::add)) {
            // read once subscribed, so no change falls between this snapshot and the first event
            BatchStore.BatchView view = reads.visibleBatch(ctx, id);
            ctx.status(200).contentType("text/event-stream").header("Cache-Control", "no-cache").header("X-Accel-Buffering", "no");
            OutputStream out = ctx.res().getOutputStream();
            Batch batch = view.batch();
            SseCounts counts = new SseCounts(batch.counts());
            Set<String> unfinished = batch.counts().isFinished() ? Set.of() : view.meetings().stream()
                    .filter(m -> !m.state().isFinal()).map(Meeting::id).collect(Collectors.toSet());
            send(out, hub.nextSeq(), "progress", Views.progress(id, counts.told()));
            while (!counts.told().isFinished()) {
                EventHub.Sequenced next = queue.poll(SSE_CHECK.toMillis(), TimeUnit.MILLISECONDS);
                if (next != null && next.event() != null) {
                    sendMeeting(out, next, counts, lastSent);
                    if (!next.event().counts().isFinished()) continue;
                }
                batch = readThroughOutage(() -> store.batchGet(id).orElseThrow(), out, id, counts);
                counts.fromStore(batch.counts());
                if (next == null || next.event() == null) send(out, hub.nextSeq(), "progress", Views.progress(id, counts.told()));
            }
            // Outcomes are stored before they are published: send what was published, then the final state of
            // any meeting whose last event is still on its way, so every meeting's end is told before done.
            for (EventHub.Sequenced late = queue.poll(); late != null; late = queue.poll()) {
                if (late.event() != null) sendMeeting(out, late, counts, lastSent);
            }
            for (Meeting m : readThroughOutage(() -> store.meetingsBrief(id), out, id, counts)) {
                if (unfinished.contains(m.id()) && !m.state().wireName().equals(lastSent.get(m.id()))) {
                    long seq = hub.nextSeq();
                    ObjectNode node = Views.result(m);
                    node.put("seq", seq);
                    node.put("batch_id", id);
                    node.put("attempt", m.attemptCount());
                    node.set("counts", Views.counts(Views.JSON.createObjectNode(), counts.told()));
                    send(out, seq, "meeting", node);
                }
            }
            send(out, hub.nextSeq(), "done", Views.progress(id, counts.told()));
        }
    }

    /**
     * A read of the store by an open event stream. While the store cannot be reached (a database restart), the
     * stream stays open: it tells the counts it has told so far every {@link #SSE_STORE_RETRY}, which also
     * shows the client it is alive, and reads again. Ending the stream instead loses the client's live view: an
     * EventSource reconnecting during the outage gets 503 and gives up (the web UI falls back to polling).
     */
    private <T> T readThroughOutage(Supplier<T> read, OutputStream out, String batchId, SseCounts counts)
            throws IOException, InterruptedException {
        while (true) {
            try {
                return read.get();
            } catch (StoreUnavailableException e) {
                send(out, hub.nextSeq(), "progress", Views.progress(batchId, counts.told()));
                Thread.sleep(SSE_STORE_RETRY);
            }
        }
    }

    private void sendMeeting(OutputStream out, EventHub.Sequenced next, SseCounts counts, Map<String, String> lastSent) throws IOException {
        if (!next.event().isMeetingMove()) {
            send(out, next.seq(), "provider_batch", Views.providerBatchEvent(next.seq(), next.event()));
            return;
        }
        var told = counts.fromEvent(next.event().counts());
        send(out, next.seq(), "meeting", Views.meetingEvent(next.seq(), next.event(), told));
        send(out, hub.nextSeq(), "progress", Views.progress(next.event().batchId(), told));
        lastSent.put(next.event().meetingId(), next.event().state().wireName());
    }

    private static void send(OutputStream out, long seq, String event, JsonNode data) throws IOException {
        String frame = "id: " + seq + "\nevent: " + event + "\ndata: " + Views.JSON.writeValueAsString(data) + "\n\n";
        out.write(frame.getBytes(StandardCharsets.UTF_8));
        out.flush();
    }
}
