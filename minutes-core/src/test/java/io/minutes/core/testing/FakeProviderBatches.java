package io.minutes.core.testing;

import io.minutes.core.analysis.LocalAnalyzer;
import io.minutes.core.domain.Failure;
import io.minutes.core.domain.Segment;
import io.minutes.core.domain.Usage;
import io.minutes.core.port.Analyzer;
import io.minutes.core.port.AnalyzerException;
import io.minutes.core.port.ProviderBatches;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Consumer;

/**
 * A provider's batch API held in memory, for core's tests of the batch lane (the paid boundary; the
 * providers module's emulators do the same over real HTTP). It answers a line with the built-in analyzer's
 * minutes of the line's transcript, at {@link #BATCH_PRICE_PER_TOKEN} a token (half the list price).
 * The test moves each provider batch along ({@link #runAll}, {@link #end}) and says what fails:
 * a line that errors, lines left not run, a crash at a step ({@link Crash}), the enqueued-token limit.
 */
public final class FakeProviderBatches implements ProviderBatches {
    public static final double LIST_PRICE_PER_TOKEN = 0.000_002;
    public static final double BATCH_PRICE_PER_TOKEN = LIST_PRICE_PER_TOKEN / 2;

    /** Where the process "dies" (an unchecked exception, as a kill would leave the step half done). */
    public enum Crash { NONE, BEFORE_STAGE, AFTER_CREATE, WHILE_READING }

    /** The steps a test can make the provider fail permanently or transiently. */
    public static final class Remotely {
        public final String id;
        public final String key;
        final Instant createdAt;
        public final List<Line> lines;
        Status status = Status.VALIDATING;
        /** Failed by the provider for its enqueued-token limit (OpenAI: created, then failed with token_limit_exceeded). */
        boolean enqueuedTokensFailed;
        final Set<String> answered = ConcurrentHashMap.newKeySet();
        public volatile boolean discarded;

        Remotely(String id, String key, Instant createdAt, List<Line> lines) {
            this.id = id;
            this.key = key;
            this.createdAt = createdAt;
            this.lines = List.copyOf(lines);
        }
    }

    private final Clock clock;
    private final Limits limits;
    private final LocalAnalyzer analyzer = new LocalAnalyzer();
    private final Map<String, List<Line>> staged = new ConcurrentHashMap<>();
    private final Map<String, Remotely> remotes = new LinkedHashMap<>();
    private final Map<String, Failure> lineErrors = new ConcurrentHashMap<>();
    private final Set<String> refusedLines = ConcurrentHashMap.newKeySet();
    private final Map<String, Integer> answeredTimes = new ConcurrentHashMap<>();
    private final AtomicInteger creates = new AtomicInteger();
    private final AtomicInteger stages = new AtomicInteger();
    private final List<String> cancelled = new java.util.concurrent.CopyOnWriteArrayList<>();
    private volatile Crash crash = Crash.NONE;
    private volatile int crashAfterLines;
    private volatile boolean enqueuedFull;
    private volatile boolean failCreatedForEnqueuedTokens;
    private final AtomicInteger createRequests = new AtomicInteger();
    private volatile int notRunPerBatch;
    private volatile String lastStaged;

    public FakeProviderBatches(Clock clock, Limits limits) {
        this.clock = clock;
        this.limits = limits;
    }

    @Override
    public String provider() {
        return "openai";
    }

    @Override
    public String model() {
        return "gpt-4o-mini";
    }

    @Override
    public Limits limits() {
        return limits;
    }

    // ---- what the test says -----------------------------------------------------------------------

    public void crash(Crash at) {
        this.crash = at;
    }

    /** The next results read crashes after {@code lines} lines. */
    public void crashWhileReadingAfter(int lines) {
        this.crashAfterLines = lines;
        this.crash = Crash.WHILE_READING;
    }

    public void enqueuedFull(boolean full) {
        this.enqueuedFull = full;
    }

    /** The line of meeting {@code customId} errors with {@code failure}. */
    public void lineErrors(String customId, Failure failure) {
        lineErrors.put(customId, failure);
    }

    public void clearLineError(String customId) {
        lineErrors.remove(customId);
    }

    /** The key of the last provider batch staged. */
    public String lastStagedKey() {
        return lastStaged;
    }

    /** {@link #line} refuses this meeting (it would need parts). */
    public void refuseLine(String customId) {
        refusedLines.add(customId);
    }

    /** The last {@code n} lines of each batch that ends expire (not run). */
    public void notRunPerBatch(int n) {
        this.notRunPerBatch = n;
    }

    /** Every created batch starts running. */
    public synchronized void runAll() {
        for (Remotely r : remotes.values()) if (r.status == Status.VALIDATING) r.status = Status.IN_PROGRESS;
    }

    /** Answers {@code n} more lines of every running batch (the provider's counts move; results wait for the end). */
    public synchronized void answer(int n) {
        for (Remotely r : remotes.values()) {
            if (r.status != Status.IN_PROGRESS) continue;
            int done = 0;
            for (Line line : r.lines) {
                if (done == n) break;
                if (r.answered.add(line.customId())) done++;
            }
        }
    }

    /** Ends every running batch with {@code status}: lines not yet answered are answered (COMPLETED) or left not run. */
    public synchronized void end(Status status) {
        for (Remotely r : remotes.values()) {
            if (r.status.ended()) continue;
            int runnable = r.lines.size() - notRunPerBatch;
            for (int i = 0; i < runnable && status == Status.COMPLETED; i++) r.answered.add(r.lines.get(i).customId());
            if (status != Status.COMPLETED) {
                for (int i = 0; i < runnable; i++) r.answered.add(r.lines.get(i).customId());
            }
            r.status = status;
        }
    }

    /**
     * Batches created from now on are accepted, then failed for the enqueued-token limit (as OpenAI does: status
     * {@code failed}, error {@code token_limit_exceeded}, nothing run).
     */
    public void failCreatedForEnqueuedTokens(boolean fail) {
        this.failCreatedForEnqueuedTokens = fail;
    }

    /** Every create request, refused or not. */
    public int createRequests() {
        return createRequests.get();
    }

    /** The provider batches the client asked to cancel, in order (one entry per request). */
    public List<String> cancelRequests() {
        return List.copyOf(cancelled);
    }

    public int creates() {
        return creates.get();
    }

    public int stages() {
        return stages.get();
    }

    /** How many times the provider answered (and was paid for) each meeting's line. */
    public Map<String, Integer> answeredTimes() {
        return Map.copyOf(answeredTimes);
    }

    public synchronized List<Remotely> remotes() {
        return new ArrayList<>(remotes.values());
    }

    // ---- the provider -----------------------------------------------------------------------------

    @Override
    public Optional<Line> line(String customId, Analyzer.Request request) {
        if (refusedLines.contains(customId)) return Optional.empty();
        StringBuilder text = new StringBuilder();
        for (Segment s : request.transcript().segments()) text.append(s.speaker()).append(": ").append(s.text()).append('\n');
        long tokens = Math.max(1, text.length() / 4);
        String json = "{\"custom_id\":\"" + customId + "\",\"title\":\"" + request.title() + "\",\"text\":\""
                + text.toString().replace("\\", "\\\\").replace("\"", "\\\"").replace("\n", "\\n") + "\"}";
        // the most it may cost: its input and its whole output allowance at the batch price
        return Optional.of(new Line(customId, json, tokens, 500, (tokens + 500) * BATCH_PRICE_PER_TOKEN));
    }

    @Override
    public String stage(String key, List<Line> lines) {
        if (crash == Crash.BEFORE_STAGE) {
            crash = Crash.NONE;
            throw new IllegalStateException("killed before the upload");
        }
        stages.incrementAndGet();
        staged.put(key, List.copyOf(lines));
        lastStaged = key;
        return "file-" + key;
    }

    @Override
    public synchronized Remote create(String key, String stagedRef, List<Line> lines) throws AnalyzerException {
        createRequests.incrementAndGet();
        if (enqueuedFull) {
            throw new AnalyzerException(Failure.of(Failure.Cause.ENQUEUED_TOKENS_FULL,
                    "Enqueued token limit reached for gpt-4o-mini in organization org-test."));
        }
        if (!staged.containsKey(key) || !stagedRef.equals("file-" + key)) {
            throw new AnalyzerException(Failure.of(Failure.Cause.REFUSED_REQUEST, "no such file: " + stagedRef));
        }
        Remotely r = new Remotely("batch_" + (remotes.size() + 1), key, clock.instant(), lines);
        if (failCreatedForEnqueuedTokens) {
            r.status = Status.FAILED;
            r.enqueuedTokensFailed = true;
        }
        remotes.put(r.id, r);
        creates.incrementAndGet();
        if (crash == Crash.AFTER_CREATE) {
            crash = Crash.NONE;
            throw new IllegalStateException("killed after the create was sent, before its answer was stored");
        }
        return remote(r);
    }

    @Override
    public synchronized Optional<Remote> find(String key, Instant notBefore, int lineCount) {
        return remotes.values().stream().filter(r -> r.key.equals(key) && !r.createdAt.isBefore(notBefore))
                .findFirst().map(this::remote);
    }

    @Override
    public synchronized Remote status(String remoteId) throws AnalyzerException {
        Remotely r = remotes.get(remoteId);
        if (r == null) throw new AnalyzerException(Failure.of(Failure.Cause.SERVER_ERROR, "404: no batch " + remoteId));
        return remote(r);
    }

    @Override
    public synchronized Remote cancel(String remoteId) throws AnalyzerException {
        Remotely r = remotes.get(remoteId);
        if (r == null) throw new AnalyzerException(Failure.of(Failure.Cause.SERVER_ERROR, "404: no batch " + remoteId));
        cancelled.add(remoteId);
        if (!r.status.ended()) r.status = Status.CANCELLED;
        return remote(r);
    }

    private Remote remote(Remotely r) {
        int total = r.lines.size();
        int errored = 0;
        int succeeded = 0;
        for (String id : r.answered) {
            if (lineErrors.containsKey(id)) errored++;
            else succeeded++;
        }
        int notRun = r.status.ended() ? total - succeeded - errored : 0;
        if (r.enqueuedTokensFailed) {
            return new Remote(r.id, r.key, r.status, new Counts(total, 0, 0, total), r.createdAt,
                    r.createdAt.plus(Duration.ofHours(24)), "Enqueued token limit reached for gpt-4o-mini in organization "
                    + "org-test. Limit: 2,000,000 enqueued tokens.", Failure.Cause.ENQUEUED_TOKENS_FULL);
        }
        return new Remote(r.id, r.key, r.status, new Counts(total, succeeded, errored, notRun), r.createdAt,
                r.createdAt.plus(Duration.ofHours(24)), null);
    }

    @Override
    public void results(Remote remote, Consumer<LineResult> each) throws AnalyzerException {
        Remotely r;
        synchronized (this) {
            r = remotes.get(remote.id());
        }
        if (r == null || !r.status.ended()) throw new AnalyzerException(Failure.of(Failure.Cause.SERVER_ERROR, "not ended"));
        int read = 0;
        // the provider's order is not ours: last line first
        for (Line line : r.lines.reversed()) {
            if (crash == Crash.WHILE_READING && read == crashAfterLines) {
                crash = Crash.NONE;
                throw new IllegalStateException("killed while reading the output");
            }
            read++;
            String id = line.customId();
            if (!r.answered.contains(id)) {
                each.accept(new LineResult.NotRun(id, r.status == Status.EXPIRED ? "batch_expired" : "batch_cancelled"));
                continue;
            }
            Failure error = lineErrors.get(id);
            if (error != null) {
                each.accept(new LineResult.Errored(id, error));
                continue;
            }
            answeredTimes.merge(id, 1, Integer::sum);
            long in = line.inputTokens();
            long out = 100;
            double paid = (in + out) * BATCH_PRICE_PER_TOKEN;
            each.accept(new LineResult.Answered(id, new Analyzer.Result(analyzer.analyze(titleOf(line), transcriptOf(line)),
                    new Usage(in, out, paid)), (in + out) * LIST_PRICE_PER_TOKEN));
        }
    }

    private static String titleOf(Line line) {
        String json = line.json();
        int at = json.indexOf("\"title\":\"") + 9;
        return json.substring(at, json.indexOf('"', at));
    }

    private static io.minutes.core.domain.Transcript transcriptOf(Line line) {
        String json = line.json();
        int at = json.indexOf("\"text\":\"") + 8;
        String text = json.substring(at, json.length() - 2).replace("\\n", "\n");
        List<Segment> segments = new ArrayList<>();
        for (String l : text.split("\n")) {
            int colon = l.indexOf(": ");
            if (colon > 0) segments.add(Segment.of(l.substring(0, colon), l.substring(colon + 2)));
        }
        return new io.minutes.core.domain.Transcript("txt", segments);
    }

    @Override
    public synchronized void discard(Remote remote) {
        Remotely r = remotes.get(remote.id());
        if (r != null) r.discarded = true;
        staged.remove(remote.key());
    }
}
