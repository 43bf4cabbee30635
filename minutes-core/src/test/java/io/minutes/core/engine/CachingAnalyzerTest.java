package io.minutes.core.engine;

import io.minutes.core.analysis.LocalAnalyzer;
import io.minutes.core.domain.Analysis;
import io.minutes.core.domain.Budget;
import io.minutes.core.domain.ClaimedMeeting;
import io.minutes.core.domain.Segment;
import io.minutes.core.domain.Tier;
import io.minutes.core.domain.Transcript;
import io.minutes.core.domain.Usage;
import io.minutes.core.port.Analyzer;
import io.minutes.core.port.AnalyzerException;
import io.minutes.core.port.MeetingQueue;
import io.minutes.core.port.ResultCache;
import io.minutes.core.privacy.RedactingAnalyzer;
import io.minutes.core.style.LanguageChoice;
import io.minutes.core.style.MinutesStyle;
import io.minutes.core.style.Stylist;
import io.minutes.core.style.TemplateFile;
import io.minutes.core.style.Templates;
import io.minutes.core.testing.TestEngine;
import io.minutes.core.testing.TestRequests;
import org.junit.jupiter.api.Test;

import java.time.Clock;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;

import static org.assertj.core.api.Assertions.assertThat;

/** A cached answer is known as such before the call (estimates, budgets), redacted or not, and costs nothing. */
class CachingAnalyzerTest {
    private static final Transcript MEETING = new Transcript("txt", List.of(
            Segment.of("Ann", "Mail the plan to ann@example.com by Friday, we decided to ship on Tuesday.")));

    /** A paid provider: every call counted, each estimated at up to $0.01 and costing $0.004. */
    private static final class Paid implements Analyzer {
        final AtomicInteger calls = new AtomicInteger();

        @Override
        public String name() {
            return "paid";
        }

        @Override
        public Result analyze(Request request) throws AnalyzerException {
            calls.incrementAndGet();
            return new Result(new LocalAnalyzer().analyze(request).analysis(), new Usage(1000, 100, 0.004));
        }

        @Override
        public Estimate estimate(Request request) {
            return new Estimate(1000, 500, 0.01);
        }
    }

    private static final class MemoryCache implements ResultCache {
        final Map<ResultKey, Analysis> answers = new ConcurrentHashMap<>();

        @Override
        public Optional<Analysis> resultFind(ResultKey key) {
            return Optional.ofNullable(answers.get(key));
        }

        @Override
        public void resultPut(ResultKey key, Analysis analysis, Instant now) {
            answers.put(key, analysis);
        }
    }

    private static Analyzer.Request request(String id) {
        return TestRequests.request(id, "plan", MEETING);
    }

    @Test
    void behindRedactionTheEstimateFindsTheAnswerTheRedactedCallLeft() throws Exception {
        Paid paid = new Paid();
        Analyzer analyzer = new RedactingAnalyzer(TestEngine.caching(paid, new MemoryCache(), "m", Clock.systemUTC()));
        assertThat(analyzer.estimate(request("a")).cached()).isFalse();
        assertThat(analyzer.estimate(request("a")).maxCostToPayUsd()).isEqualTo(0.01);

        analyzer.analyze(request("a"));

        Analyzer.Estimate again = analyzer.estimate(request("b"));
        assertThat(again.cached()).isTrue();
        assertThat(again.maxCostToPayUsd()).isZero();
        assertThat(again.maxCostUsd()).as("what a call would cost is still told").isEqualTo(0.01);
        assertThat(analyzer.analyze(request("b")).usage()).isEqualTo(Usage.NONE);
        assertThat(paid.calls).hasValue(1);
    }

    @Test
    void aCallTheBudgetRefusesIsSkippedWithoutReachingTheProviderButACachedAnswerNeedsNoRoom() {
        Paid paid = new Paid();
        Analyzer analyzer = TestEngine.caching(paid, new MemoryCache(), "m", Clock.systemUTC());
        Budget full = new Budget(0.01, 0.008, 0.0, 0);
        Pipeline.Budgets refusing = (meeting, usd) -> new MeetingQueue.Reservation(full.allows(usd), Optional.of(full));
        Pipeline pipeline = TestEngine.pipeline(analyzer, null, Pipeline.DEFAULT_ALLOW_SENSITIVE, refusing);
        ClaimedMeeting meeting = new ClaimedMeeting("mtg_1", "batch_1", 0, "plan.txt", "plan", MEETING, 1, 0, Instant.now(),
                null, Tier.ORDINARY, null, true, null);

        StepOutcome refused = pipeline.run(meeting);

        assertThat(refused).isEqualTo(new StepOutcome.Skipped("budget_exhausted: spent $0.0080 + reserved $0.0000 + "
                + "this meeting's up to $0.0100 would pass the budget of $0.0100"));
        assertThat(paid.calls).hasValue(0);
        TestEngine.pipeline(analyzer).run(meeting); // paid for once, outside the budget
        assertThat(pipeline.run(meeting)).isInstanceOf(StepOutcome.Completed.class);
        assertThat(paid.calls).hasValue(1);
    }

    /**
     * A meeting's template (name and version) and language are part of its cache key: a team that changes its
     * stand-up template analyses its stand-ups again, and nothing else; a meeting asked in another language is
     * analysed again too.
     */
    @Test
    void changingATemplateAnalysesAgainOnlyTheMeetingsItShapes() throws Exception {
        Paid paid = new Paid();
        Analyzer analyzer = new RedactingAnalyzer(TestEngine.caching(paid, new MemoryCache(), "m", Clock.systemUTC()));
        Transcript standUp = new Transcript("txt", List.of(
                Segment.of("Ana", "Yesterday I finished the login page. Today I'm working on the reset ticket. No blockers."),
                Segment.of("Ben", "Yesterday I reviewed the sprint board. Today I'm working on the report. I'm blocked on staging.")));
        Stylist before = Stylist.ofDefaults();
        Stylist teamStandUp = new Stylist(Templates.with(List.of(
                TemplateFile.parse("name: stand-up\nversion: team-2\nsection: Done\nsection: Next\nsection: Blocked\nper-person: yes\n",
                        "stand-up.txt"))), MinutesStyle.AUTO);
        for (Stylist stylist : List.of(before, before, teamStandUp, teamStandUp)) {
            for (Transcript t : List.of(MEETING, standUp)) {
                analyzer.analyze(analyzer.prepare(TestRequests.request("x", "t", t).withStyle(stylist.resolve(null, t))));
            }
        }
        assertThat(paid.calls).as("each meeting once, then the stand-up again under its new template version").hasValue(3);
        Stylist german = new Stylist(Templates.builtIn(), new MinutesStyle(LanguageChoice.parse("de", "language"), null));
        analyzer.analyze(analyzer.prepare(TestRequests.request("x", "t", MEETING).withStyle(german.resolve(null, MEETING))));
        assertThat(paid.calls).as("the same meeting asked in German").hasValue(4);
    }
}
