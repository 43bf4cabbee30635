package io.minutes.app;

import io.minutes.app.config.Config;
import io.minutes.app.config.Settings;
import io.minutes.core.domain.Segment;
import io.minutes.core.domain.Transcript;
import io.minutes.core.engine.ConcurrencyLimit;
import io.minutes.core.engine.Throttle;
import io.minutes.core.port.Analyzer;
import io.minutes.core.port.CallAdmission;
import io.minutes.core.testing.TestEngine;
import io.minutes.core.testing.TestRequests;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Before: a meeting took one permit for all its calls, so a transcript analysed in parts sent its parts and
 * their merge as fast as the answers came, over the provider's limit (issue 19, "everything that calls a
 * provider is admitted"). Now each call takes its own permit: the provider, enforcing 300 RPM as 5 a second,
 * refuses nothing, and the throttle counted every call it was sent.
 */
class SplitMeetingCallsAreAdmittedOneByOneTest {
    private static final int MEETINGS = 3;

    @Test
    void eachPartAndTheMergeOfALongMeetingIsAdmittedOnItsOwn() throws Exception {
        try (SharedOpenAiProvider provider = new SharedOpenAiProvider(300, Duration.ofMillis(20))) {
            Config config = Config.resolve(Settings.ALL, Map.of("provider", "openai", "base-url", provider.baseUrl(),
                    "model", "gpt-4o-mini", "rpm", "300", "rate-window", "second",
                    "context-tokens", "2000", "max-output-tokens", "256"), Map.of());
            Throttle throttle = Wiring.throttle(config);
            CountedAdmission admitted = new CountedAdmission(TestEngine.throttledCalls(throttle));
            // as the dispatcher calls it: behind the throttled decorator, which must not admit the meeting again
            Analyzer analyzer = TestEngine.throttled(
                    Wiring.analyzer(config, Map.of("OPENAI_API_KEY", SharedOpenAiProvider.KEY), throttle, admitted),
                    throttle, ConcurrencyLimit.fixed(MEETINGS));

            List<Analyzer.Result> results = new ArrayList<>();
            try (ExecutorService meetings = Executors.newVirtualThreadPerTaskExecutor()) {
                List<Future<Analyzer.Result>> running = new ArrayList<>();
                for (int i = 0; i < MEETINGS; i++) {
                    Analyzer.Request request = TestRequests.request("m" + i, "planning meeting number " + i, longMeeting(i));
                    running.add(meetings.submit(() -> analyzer.analyze(request)));
                }
                for (Future<Analyzer.Result> r : running) results.add(r.get(120, TimeUnit.SECONDS));
            }

            assertThat(results).hasSize(MEETINGS).allSatisfy(r -> assertThat(r.analysis().summary()).isNotBlank());
            Map<Integer, Integer> served = provider.servedPerMeeting();
            assertThat(served).as("every meeting split into parts: at least 3 parts and a merge each").hasSize(MEETINGS)
                    .allSatisfy((meeting, calls) -> assertThat(calls).isGreaterThanOrEqualTo(4));
            int calls = served.values().stream().mapToInt(Integer::intValue).sum();
            assertThat(admitted.count()).as("the throttle admitted each call (N parts + 1 merge), not each meeting")
                    .isEqualTo(calls);
            assertThat(provider.refused()).as("429s from the provider: " + provider.summary()).isZero();
            // the provider's bucket of 5 refilled at 5 a second lets at most 10 through in any second
            assertThat(provider.peakServedWithin(Duration.ofSeconds(1))).as(provider.summary()).isLessThanOrEqualTo(10);
        }
    }

    /** About 3,000 tokens of timed turns, over three times what a 2,000-token context takes with its answer. */
    private static Transcript longMeeting(int number) {
        String[] speakers = {"Alice", "Bob", "Carol"};
        List<Segment> turns = new ArrayList<>();
        for (int i = 0; i < 120; i++) {
            turns.add(new Segment(speakers[i % 3], i * 15.0, i * 15.0 + 14.0, "In planning meeting number " + number
                    + " we went through item " + (i + 1) + " of the launch checklist and agreed who follows it up."));
        }
        return new Transcript("vtt", turns);
    }

    private static final class CountedAdmission implements CallAdmission {
        private final CallAdmission admission;
        private final AtomicInteger count = new AtomicInteger();

        CountedAdmission(CallAdmission admission) {
            this.admission = admission;
        }

        @Override
        public Ticket admit(Analyzer.Estimate estimate) throws InterruptedException {
            Ticket ticket = admission.admit(estimate);
            count.incrementAndGet();
            return ticket;
        }

        int count() {
            return count.get();
        }
    }
}
