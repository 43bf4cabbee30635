package io.minutes.providers.sim;

import io.minutes.core.domain.Analysis;
import io.minutes.core.domain.Failure;
import io.minutes.core.domain.Participant;
import io.minutes.core.domain.RateLimitSnapshot;
import io.minutes.core.domain.Segment;
import io.minutes.core.domain.Transcript;
import io.minutes.core.domain.Usage;
import io.minutes.core.port.Analyzer;
import io.minutes.core.port.AnalyzerException;
import io.minutes.core.port.RateLimitObserver;

import java.time.Duration;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;

/**
 * A stand-in for a rate-limited remote provider, in process. Each call:
 * <ul>
 *   <li>is checked against the server's requests- and tokens-per-minute limits, enforced over the
 *       configured {@link EnforcedLimit.Window} (a 60 s sliding window, per second, or a minute's token
 *       bucket); over the limit it is refused at once as OpenAI refuses it (HTTP 429,
 *       {@code rate_limit_exceeded}, "Please try again in ...", a {@code retry-after-ms}), and the
 *       observer hears the headers and {@code rateLimited};</li>
 *   <li>is charged what it uses when it arrives: its input tokens (a quarter of the transcript's
 *       characters) and, when it will answer, the output tokens of that answer ({@link #usageFor});</li>
 *   <li>takes a lognormal time (mean, sd); fails with a transient error at {@code errorRate}; hangs at
 *       {@code hangRate} until the client's {@code timeout} ends it;</li>
 *   <li>tells the observer what OpenAI's {@code x-ratelimit-*} headers would say on every response, 429s
 *       included: always the minute's view, whatever the window.</li>
 * </ul>
 * Whether a call fails or hangs and how long it takes depend only on the seed, the transcript and
 * the meeting's call number, so a run can be reproduced and the same transcripts meet the same
 * latencies in two runs. {@link #stats()} counts what the server saw, for tests and
 * {@code minutes bench}.
 */
public final class SimAnalyzer implements Analyzer {
    public static final double USD_PER_INPUT_TOKEN = 0.15 / 1_000_000;
    public static final double USD_PER_OUTPUT_TOKEN = 0.60 / 1_000_000;

    public record Settings(Duration latencyMean, Duration latencySd, double errorRate, double hangRate,
                           Duration timeout, long requestsPerMinute, long tokensPerMinute, long maxOutputTokens,
                           long seed, EnforcedLimit.Window window) {
        public static final long DEFAULT_MAX_OUTPUT_TOKENS = 1_000;
        public static final Duration DEFAULT_TIMEOUT = Duration.ofSeconds(60);

        public Settings {
            if (latencyMean.isNegative() || latencySd.isNegative()) {
                throw new IllegalArgumentException("sim latency mean and sd must be >= 0, got " + latencyMean + ", " + latencySd);
            }
            if (errorRate < 0 || errorRate > 1) throw new IllegalArgumentException("sim error rate must be within 0..1, got " + errorRate);
            if (hangRate < 0 || hangRate > 1) throw new IllegalArgumentException("sim hang rate must be within 0..1, got " + hangRate);
            if (!timeout.isPositive()) throw new IllegalArgumentException("sim timeout must be > 0, got " + timeout);
            if (requestsPerMinute < 0 || tokensPerMinute < 0) {
                throw new IllegalArgumentException("sim limits must be >= 0 (0 = no limit)");
            }
            if (maxOutputTokens < 1) throw new IllegalArgumentException("sim max output tokens must be >= 1, got " + maxOutputTokens);
            if (window == null) throw new IllegalArgumentException("sim window must be set");
        }
    }

    /** What the server saw. {@code billed} counts the successful calls of each meeting. */
    public record Stats(long accepted, long refused, long refusalEpisodes, long errors, long hangs,
                        Map<String, Integer> billed) {
        public long billedTwice() {
            return billed.values().stream().filter(n -> n > 1).count();
        }
    }

    private final Settings settings;
    private final RateLimitObserver observer;
    private final EnforcedLimit requests;
    private final EnforcedLimit tokens;
    private final Map<String, Integer> callsByMeeting = new ConcurrentHashMap<>();
    private final Map<String, Integer> billed = new ConcurrentHashMap<>();
    private final AtomicLong accepted = new AtomicLong();
    private final AtomicLong refused = new AtomicLong();
    private final AtomicLong errors = new AtomicLong();
    private final AtomicLong hangs = new AtomicLong();
    /** 429s more than {@link #EPISODE_GAP_NANOS} after the previous one start a new episode. */
    private static final long EPISODE_GAP_NANOS = 1_000_000_000L;
    private long episodes;
    private long lastRefusalNanos;

    public SimAnalyzer(Settings settings) {
        this(settings, RateLimitObserver.NONE);
    }

    public SimAnalyzer(Settings settings, RateLimitObserver observer) {
        this.settings = settings;
        this.observer = observer;
        long now = System.nanoTime();
        this.requests = settings.requestsPerMinute() > 0
                ? EnforcedLimit.of(settings.window(), settings.requestsPerMinute(), now) : null;
        this.tokens = settings.tokensPerMinute() > 0
                ? EnforcedLimit.of(settings.window(), settings.tokensPerMinute(), now) : null;
    }

    @Override
    public String name() {
        return "sim";
    }

    public Stats stats() {
        synchronized (this) {
            return new Stats(accepted.get(), refused.get(), episodes, errors.get(), hangs.get(), Map.copyOf(billed));
        }
    }

    @Override
    public Estimate estimate(Request request) {
        long in = inputTokens(request.transcript());
        long out = settings.maxOutputTokens();
        return new Estimate(in, out, in * USD_PER_INPUT_TOKEN + out * USD_PER_OUTPUT_TOKEN);
    }

    static long inputTokens(Transcript transcript) {
        return Math.max(1, transcript.characterCount() / 4);
    }

    @Override
    public Result analyze(Request request) throws AnalyzerException {
        int call = callsByMeeting.merge(request.meetingId(), 1, Integer::sum);
        SplittableRandom random = random(settings, request.transcript(), call);
        Fault fault = fault(settings, random.nextDouble());
        boolean hangs = fault == Fault.HANG;
        boolean answers = fault == Fault.NONE;
        Usage usage = usageFor(request.transcript(), settings.maxOutputTokens());
        admit(usage.inputTokens() + (answers ? usage.outputTokens() : 0));
        try {
            if (hangs) {
                this.hangs.incrementAndGet();
                Thread.sleep(settings.timeout());
                throw ended(Failure.of(Failure.Cause.TIMEOUT, "sim: no answer within " + settings.timeout().toMillis()
                        + " ms: the call timed out"));
            }
            Thread.sleep(latency(settings, random));
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw ended(Failure.of(Failure.Cause.INTERRUPTED, "sim: call interrupted"));
        }
        if (!answers) {
            errors.incrementAndGet();
            throw ended(Failure.of(Failure.Cause.OVERLOADED, "sim: simulated provider error (HTTP 503 Service Unavailable)"));
        }
        billed.merge(request.meetingId(), 1, Integer::sum);
        observer.observed(name(), snapshot());
        Analysis minutes = analysisOf(request.title(), request.transcript());
        // as a provider would: written in the language asked, shaped by the template (its sections are not simulated)
        if (request.style() != null) {
            minutes = minutes.withLanguage(request.style().language()).withTemplate(request.style().template().name());
        }
        return new Result(minutes, usage);
    }

    /** What happens to a call. */
    public enum Fault { NONE, ERROR, HANG }

    /** What happens to the {@code call}-th call (from 1) on {@code transcript}, as {@link #analyze} decides it. */
    public static Fault fault(Settings settings, Transcript transcript, int call) {
        return fault(settings, random(settings, transcript, call).nextDouble());
    }

    /** How long the {@code call}-th call (from 1) on {@code transcript} takes when it answers or fails at once. */
    public static Duration latency(Settings settings, Transcript transcript, int call) {
        SplittableRandom random = random(settings, transcript, call);
        random.nextDouble(); // the fault's draw, as analyze makes it
        return latency(settings, random);
    }

    private static Fault fault(Settings settings, double draw) {
        if (draw < settings.hangRate()) return Fault.HANG;
        return draw < settings.hangRate() + settings.errorRate() ? Fault.ERROR : Fault.NONE;
    }

    private static SplittableRandom random(Settings settings, Transcript transcript, int call) {
        return new SplittableRandom(settings.seed() ^ transcript.hashCode() * 31L ^ call);
    }

    /** What a successful call on {@code transcript} uses: minutes grow slowly with the transcript. */
    public static Usage usageFor(Transcript transcript, long maxOutputTokens) {
        long in = inputTokens(transcript);
        long out = Math.min(maxOutputTokens, 200 + in / 20);
        return new Usage(in, out, in * USD_PER_INPUT_TOKEN + out * USD_PER_OUTPUT_TOKEN);
    }

    /** Takes the call's allowance, or refuses it as OpenAI's 429 does. */
    private void admit(long tokensUsed) throws AnalyzerException {
        RateLimitSnapshot snapshot;
        long waitNanos;
        String which;
        long limit;
        synchronized (this) {
            long now = System.nanoTime();
            long forRequests = requests == null ? 0 : requests.nanosUntil(1, now);
            long forTokens = tokens == null ? 0 : tokens.nanosUntil(tokensUsed, now);
            waitNanos = Math.max(forRequests, forTokens);
            if (waitNanos == 0) {
                if (requests != null) requests.take(1, now);
                if (tokens != null) tokens.take(tokensUsed, now);
                accepted.incrementAndGet();
                return;
            }
            boolean byRequests = forRequests >= forTokens;
            which = byRequests ? "requests per min (RPM)" : "tokens per min (TPM)";
            limit = byRequests ? requests.perMinute() : tokens.perMinute();
            if (refused.getAndIncrement() == 0 || now - lastRefusalNanos > EPISODE_GAP_NANOS) episodes++;
            lastRefusalNanos = now;
            snapshot = snapshot();
        }
        Duration retryAfter = Duration.ofMillis(Math.max(1, (waitNanos + 999_999) / 1_000_000));
        observer.observed(name(), snapshot);
        observer.rateLimited(name(), retryAfter);
        throw new AnalyzerException(Failure.rateLimited(
                "sim: HTTP 429 Too Many Requests (" + (which.startsWith("requests") ? "requests" : "tokens")
                        + "/rate_limit_exceeded: Rate limit reached on " + which + ": Limit " + limit
                        + ". Please try again in " + retryAfter.toMillis() + "ms.)", retryAfter));
    }

    private AnalyzerException ended(Failure failure) {
        observer.observed(name(), snapshot());
        return new AnalyzerException(failure);
    }

    private synchronized RateLimitSnapshot snapshot() {
        long now = System.nanoTime();
        return new RateLimitSnapshot(Instant.now(),
                requests == null ? null : requests.perMinute(), requests == null ? null : requests.remaining(now),
                requests == null ? null : requests.reset(now),
                tokens == null ? null : tokens.perMinute(), tokens == null ? null : tokens.remaining(now),
                tokens == null ? null : tokens.reset(now),
                null, null, null, null, null, null);
    }

    /** Lognormal with the configured mean and standard deviation. */
    private static Duration latency(Settings settings, SplittableRandom random) {
        double mean = settings.latencyMean().toNanos();
        double sd = settings.latencySd().toNanos();
        if (mean == 0) return Duration.ZERO;
        if (sd == 0) return settings.latencyMean();
        double sigma2 = Math.log(1 + (sd * sd) / (mean * mean));
        double mu = Math.log(mean) - sigma2 / 2;
        return Duration.ofNanos((long) Math.exp(mu + Math.sqrt(sigma2) * random.nextGaussian()));
    }

    private static Analysis analysisOf(String title, Transcript transcript) {
        List<Segment> segments = transcript.segments();
        String summary = segments.isEmpty() ? "" : segments.getFirst().text();
        if (summary.length() > 200) summary = summary.substring(0, 200);
        Map<String, Integer> words = new LinkedHashMap<>();
        for (Segment s : segments) {
            if (s.speaker() == null) continue;
            words.merge(s.speaker(), s.text().isBlank() ? 0 : s.text().strip().split("\\s+").length, Integer::sum);
        }
        List<Participant> participants = words.entrySet().stream()
                .map(e -> new Participant(e.getKey(), e.getValue(), null)).toList();
        return new Analysis(title, summary, List.of(), List.of(), List.of(), List.of(), participants);
    }
}
