package io.minutes.providers.sim;

import io.minutes.core.domain.Analysis;
import io.minutes.core.domain.Failure;
import io.minutes.core.domain.Participant;
import io.minutes.core.domain.Segment;
import io.minutes.core.domain.Transcript;
import io.minutes.core.domain.Usage;
import io.minutes.core.port.Analyzer;
import io.minutes.core.port.AnalyzerException;

import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;

/**
 * A stand-in for a remote provider, in process: each call waits {@code latency}, fails with a
 * transient error at {@code errorRate}, and otherwise returns a small analysis with token usage
 * estimated at four characters a token. Whether a call fails depends only on the seed, the meeting
 * and the attempt, so a run can be reproduced.
 */
public final class SimAnalyzer implements Analyzer {
    private static final int OUTPUT_TOKENS = 250;

    public record Settings(Duration latency, double errorRate, long seed) {
        public Settings {
            if (latency.isNegative()) throw new IllegalArgumentException("sim latency must be >= 0, got " + latency);
            if (errorRate < 0 || errorRate > 1) {
                throw new IllegalArgumentException("sim error rate must be within 0..1, got " + errorRate);
            }
        }
    }

    private final Settings settings;
    private final Map<String, Integer> callsByMeeting = new java.util.concurrent.ConcurrentHashMap<>();

    public SimAnalyzer(Settings settings) {
        this.settings = settings;
    }

    @Override
    public String name() {
        return "sim";
    }

    @Override
    public Result analyze(Request request) throws AnalyzerException {
        int call = callsByMeeting.merge(request.meetingId(), 1, Integer::sum);
        if (!settings.latency().isZero()) {
            try {
                Thread.sleep(settings.latency());
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new AnalyzerException(Failure.transientFailure("sim: call interrupted"));
            }
        }
        SplittableRandom random = new SplittableRandom(settings.seed() ^ request.meetingId().hashCode() * 31L ^ call);
        if (random.nextDouble() < settings.errorRate()) {
            throw new AnalyzerException(Failure.transientFailure(
                    "sim: simulated provider error (HTTP 503 Service Unavailable)"));
        }
        Transcript transcript = request.transcript();
        long inputTokens = Math.max(1, transcript.characterCount() / 4);
        return new Result(analysisOf(request.title(), transcript), new Usage(inputTokens, OUTPUT_TOKENS, 0.0));
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
