package io.minutes.core.engine;

import io.minutes.core.testing.ManualClock;
import io.minutes.core.domain.Analysis;
import io.minutes.core.domain.Failure;
import io.minutes.core.domain.Segment;
import io.minutes.core.domain.Transcript;
import io.minutes.core.domain.Usage;
import io.minutes.core.port.Analyzer;
import io.minutes.core.port.AnalyzerException;
import io.minutes.core.testing.TestEngine;
import io.minutes.core.testing.TestRequests;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class ThrottledAnalyzerTest {
    final ManualClock clock = new ManualClock();
    final Throttle throttle = TestEngine.throttle("p", new RateLimits(3, 0, 0, 0), new InProcessRateLimitBuckets(clock), clock);
    static final Analyzer.Request REQUEST = TestRequests.request("m", "t",
            new Transcript("txt", List.of(new Segment("Alice", 0.0, 1.0, "Hello"))));

    /** Before: the meeting took a permit of its own before its calls took theirs, so a split meeting counted one call too many. */
    @Test
    void anAnalyzerThatAdmitsEachOfItsCallsIsNotAdmittedAgainAsAWhole() throws Exception {
        List<Boolean> admitted = new ArrayList<>();
        Analyzer threeCalls = new FakeAnalyzer(true, () -> {
            for (int i = 0; i < 3; i++) admitted.add(throttle.tryAcquire(Analyzer.Estimate.NONE).permit() != null);
        });

        TestEngine.throttled(threeCalls, throttle, ConcurrencyLimit.fixed(1)).analyze(REQUEST);

        assertThat(admitted).as("3 calls within a limit of 3 a minute").containsExactly(true, true, true);
    }

    @Test
    void anAnalyzerOfOneCallIsAdmittedForItAsAWhole() throws Exception {
        Analyzer oneCall = new FakeAnalyzer(false, () -> { });

        TestEngine.throttled(oneCall, throttle, ConcurrencyLimit.fixed(1)).analyze(REQUEST);

        int left = 0;
        while (throttle.tryAcquire(Analyzer.Estimate.NONE).permit() != null) left++;
        assertThat(left).as("of 3 a minute, the analysis took 1").isEqualTo(2);
    }

    /** Before: a 503 with Retry-After was refunded as if refused, because the throttle guessed a 429 from the retry-after. */
    @Test
    void anOverloadWithRetryAfterIsChargedAndAsksForFewerSlots() {
        Throttle tokens = tokenThrottle();
        DropCounter concurrency = new DropCounter();
        Analyzer overloaded = failing(new Failure(Failure.Cause.OVERLOADED,
                "openai answered HTTP 503 Service Unavailable: a temporary provider problem", Duration.ofSeconds(2)));

        assertThatThrownBy(() -> TestEngine.throttled(overloaded, tokens, concurrency).analyze(REQUEST))
                .isInstanceOf(AnalyzerException.class);

        assertThat(tokens.tryAcquire(SIX_HUNDRED).permit()).as("the provider counted the 600 tokens: 400 of 1,000 left").isNull();
        assertThat(concurrency.drops).isEqualTo(1);
    }

    /** Before: a 429 without Retry-After was charged, because the throttle took a missing retry-after for a call the provider counted. */
    @Test
    void aRateLimitWithoutRetryAfterIsRefundedAndKeepsTheSlots() {
        Throttle tokens = tokenThrottle();
        DropCounter concurrency = new DropCounter();
        Analyzer refused = failing(Failure.rateLimited("openai answered HTTP 429 Too Many Requests: rate limited", null));

        assertThatThrownBy(() -> TestEngine.throttled(refused, tokens, concurrency).analyze(REQUEST))
                .isInstanceOf(AnalyzerException.class);

        assertThat(tokens.tryAcquire(SIX_HUNDRED).permit()).as("the refused call's 600 tokens were given back").isNotNull();
        assertThat(concurrency.drops).as("the throttle paces a rate limit; fewer slots would not help").isZero();
    }

    static final Analyzer.Estimate SIX_HUNDRED = new Analyzer.Estimate(600, 0, 0.0);

    private Throttle tokenThrottle() {
        return TestEngine.throttle("p", new RateLimits(0, 1_000, 0, 0), new InProcessRateLimitBuckets(clock), clock);
    }

    private static Analyzer failing(Failure failure) {
        return new Analyzer() {
            @Override
            public String name() {
                return "p";
            }

            @Override
            public Estimate estimate(Request request) {
                return SIX_HUNDRED;
            }

            @Override
            public Result analyze(Request request) throws AnalyzerException {
                throw new AnalyzerException(failure);
            }
        };
    }

    private static final class DropCounter implements ConcurrencyLimit {
        int drops;

        @Override
        public int current() {
            return 1;
        }

        @Override
        public void dropped() {
            drops++;
        }
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
