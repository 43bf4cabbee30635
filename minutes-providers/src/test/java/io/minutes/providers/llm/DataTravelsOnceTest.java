package io.minutes.providers.llm;

import com.fasterxml.jackson.databind.node.ObjectNode;
import io.minutes.core.domain.Analysis;
import io.minutes.core.domain.ClaimedMeeting;
import io.minutes.core.domain.Segment;
import io.minutes.core.domain.Tier;
import io.minutes.core.domain.Transcript;
import io.minutes.core.engine.ConcurrencyLimit;
import io.minutes.core.engine.InProcessRateLimitBuckets;
import io.minutes.core.engine.Pipeline;
import io.minutes.core.engine.RateLimits;
import io.minutes.core.engine.StepOutcome;
import io.minutes.core.engine.Throttle;
import io.minutes.core.port.Analyzer;
import io.minutes.core.port.MeetingStore;
import io.minutes.core.port.ResultCache;
import io.minutes.core.privacy.RedactingAnalyzer;
import io.minutes.core.privacy.Redactor;
import io.minutes.core.testing.TestEngine;
import io.minutes.providers.cost.Prices;
import io.minutes.providers.cost.TokenCounter;
import io.minutes.providers.http.ProviderHttp;
import org.junit.jupiter.api.Test;

import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * One budgeted attempt through the analyzer chain the engine builds (redaction, the result cache, the
 * throttle, the provider adapter admitting each call), counting the work done on the transcript.
 */
class DataTravelsOnceTest {
    private static final String MARKER = "the audit is late";
    private static final String MODEL = "gpt-4o-mini";
    private static final Transcript MEETING = new Transcript("txt", List.of(
            new Segment("Alice", 0.0, 6.0, "We move the launch to March because " + MARKER + "."),
            new Segment("Bob", 6.0, 12.0, "I will mail the plan to bob@example.com by Friday.")));

    /** Before: the transcript was redacted twice, looked up in the cache twice and tokenized three times. */
    @Test
    void oneBudgetedAttemptRedactsReadsTheCacheAndTokenizesTheTranscriptOnce() {
        CountingRedactor redactor = new CountingRedactor();
        CountingCache cache = new CountingCache();
        CountingTokens tokens = new CountingTokens();
        FakeChat chat = new FakeChat();
        Clock clock = Clock.systemUTC();
        Throttle throttle = TestEngine.throttle("openai", new RateLimits(1_000, 1_000_000, 0, 0), new InProcessRateLimitBuckets(clock), clock);
        Analyzer provider = new LlmAnalyzer(chat, new LlmAnalyzer.Options(1_000, 128_000), Prices.builtIn(),
                TestEngine.throttledCalls(throttle), tokens);
        Analyzer chain = new RedactingAnalyzer(TestEngine.caching(
                TestEngine.throttled(provider, throttle, ConcurrencyLimit.fixed(4)), cache, MODEL, clock), redactor);
        List<Double> reserved = Collections.synchronizedList(new ArrayList<>());
        Pipeline.Budgets budgets = (meeting, usd) -> {
            reserved.add(usd);
            return new MeetingStore.Reservation(true, Optional.empty());
        };
        Pipeline pipeline = TestEngine.pipeline(chain, null, Pipeline.DEFAULT_ALLOW_SENSITIVE, budgets);
        ClaimedMeeting meeting = new ClaimedMeeting("mtg_1", "batch_1", 0, "launch.txt", "Launch review", MEETING, 1, 0,
                Instant.now(), null, Tier.ORDINARY, null, true, null);

        StepOutcome outcome = pipeline.run(meeting);

        assertThat(outcome).isInstanceOf(StepOutcome.Completed.class);
        assertThat(reserved).as("the attempt was budgeted").singleElement().satisfies(usd -> assertThat(usd).isPositive());
        assertThat(chat.userPrompts).singleElement().asString().contains(MARKER).doesNotContain("bob@example.com");
        assertThat(((StepOutcome.Completed) outcome).analysis().redactions()).containsEntry("email", 1);
        assertThat(redactor.calls).as("redactions").hasValue(1);
        assertThat(cache.reads).as("result cache reads").hasValue(1);
        assertThat(tokens.transcriptCounts).as("tokenizations of the transcript").hasValue(1);
    }

    private static final class CountingRedactor extends Redactor {
        final AtomicInteger calls = new AtomicInteger();

        @Override
        public Redacted redact(Transcript transcript) {
            calls.incrementAndGet();
            return super.redact(transcript);
        }
    }

    private static final class CountingCache implements ResultCache {
        final AtomicInteger reads = new AtomicInteger();
        private final Map<ResultKey, Analysis> answers = new ConcurrentHashMap<>();

        @Override
        public Optional<Analysis> resultFind(ResultKey key) {
            reads.incrementAndGet();
            return Optional.ofNullable(answers.get(key));
        }

        @Override
        public void resultPut(ResultKey key, Analysis analysis, Instant now) {
            answers.put(key, analysis);
        }
    }

    /** The model's tokenizer, counting the texts that carry the transcript. */
    private static final class CountingTokens implements TokenCounter {
        final AtomicInteger transcriptCounts = new AtomicInteger();
        private final TokenCounter model = TokenCounter.forModel(MODEL);

        @Override
        public long count(String text) {
            if (text.contains(MARKER)) transcriptCounts.incrementAndGet();
            return model.count(text);
        }

        @Override
        public String method() {
            return model.method();
        }
    }

    private static final class FakeChat implements ChatModel {
        final List<String> userPrompts = Collections.synchronizedList(new ArrayList<>());

        @Override
        public String provider() {
            return "openai";
        }

        @Override
        public String model() {
            return MODEL;
        }

        @Override
        public long overheadTokens(java.util.function.ToLongFunction<String> countText) {
            return 0;
        }

        @Override
        public Reply ask(Prompt prompt) {
            userPrompts.add(prompt.user());
            ObjectNode answer = ProviderHttp.JSON.createObjectNode();
            answer.put("summary", "The launch moves to March.");
            answer.putArray("action_items").addObject().put("description", "Send the plan").put("owner", "Bob")
                    .put("due", "Friday").putObject("evidence").put("segment", 0).put("speaker", "Bob").put("quote", "send the plan");
            answer.putArray("decisions").addObject().put("text", "Move the launch to March.").putObject("evidence")
                    .put("segment", 0).putNull("speaker").put("quote", "move the launch to March");
            answer.putArray("open_questions");
            answer.putArray("topics").add("launch");
            answer.putArray("participants").add("Alice").add("Bob");
            return new Reply(answer, answer.toString(), 120, 60, false, null);
        }

        @Override
        public Reply repair(Prompt prompt, Reply previous, List<String> problems) {
            return ask(prompt);
        }

        @Override
        public ObjectNode requestBody(Prompt prompt) {
            return ProviderHttp.JSON.createObjectNode().put("system", prompt.system()).put("user", prompt.user());
        }

        @Override
        public Reply reply(com.fasterxml.jackson.databind.JsonNode responseBody, int status) {
            return new Reply(responseBody, responseBody.toString(), 120, 60, false, null);
        }
    }
}
