package io.minutes.core.engine;

import io.minutes.core.domain.Analysis;
import io.minutes.core.domain.Segment;
import io.minutes.core.domain.Transcript;
import io.minutes.core.domain.Usage;
import io.minutes.core.port.Analyzer;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

class ThrottledAnalyzerTest {
    final ManualClock clock = new ManualClock();
    final Throttle throttle = new Throttle("p", new RateLimits(3, 0, 0, 0), new InProcessRateLimitBuckets(clock), clock);
    static final Analyzer.Request REQUEST = new Analyzer.Request("m", "t",
            new Transcript("txt", List.of(new Segment("Alice", 0.0, 1.0, "Hello"))));

    /** Before: the meeting took a permit of its own before its calls took theirs, so a split meeting counted one call too many. */
    @Test
    void anAnalyzerThatAdmitsEachOfItsCallsIsNotAdmittedAgainAsAWhole() throws Exception {
        List<Boolean> admitted = new ArrayList<>();
        Analyzer threeCalls = new FakeAnalyzer(true, () -> {
            for (int i = 0; i < 3; i++) admitted.add(throttle.tryAcquire(Analyzer.Estimate.NONE).permit() != null);
        });

        new ThrottledAnalyzer(threeCalls, throttle, ConcurrencyLimit.fixed(1)).analyze(REQUEST);

        assertThat(admitted).as("3 calls within a limit of 3 a minute").containsExactly(true, true, true);
    }

    @Test
    void anAnalyzerOfOneCallIsAdmittedForItAsAWhole() throws Exception {
        Analyzer oneCall = new FakeAnalyzer(false, () -> { });

        new ThrottledAnalyzer(oneCall, throttle, ConcurrencyLimit.fixed(1)).analyze(REQUEST);

        int left = 0;
        while (throttle.tryAcquire(Analyzer.Estimate.NONE).permit() != null) left++;
        assertThat(left).as("of 3 a minute, the analysis took 1").isEqualTo(2);
    }

    private record FakeAnalyzer(boolean admitsEachCall, Runnable calls) implements Analyzer {
        @Override
        public String name() {
            return "fake";
        }

        @Override
        public Result analyze(Request request) {
            calls.run();
            return new Result(new Analysis("t", "s", List.of(), List.of(), List.of(), List.of(), List.of()), Usage.NONE);
        }
    }
}
