package io.minutes.providers.contract;

import io.minutes.core.domain.ActionItem;
import io.minutes.core.domain.Analysis;
import io.minutes.core.domain.Finding;
import io.minutes.core.domain.PartCoverage;
import io.minutes.core.trust.CheckedAnalyzer;
import io.minutes.core.trust.UnsupportedItems;
import io.minutes.core.testing.Items;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.minutes.core.domain.Analysis;
import io.minutes.core.domain.Failure;
import io.minutes.core.domain.RateLimitSnapshot;
import io.minutes.core.domain.Segment;
import io.minutes.core.domain.Transcript;
import io.minutes.core.port.Analyzer;
import io.minutes.core.port.AnalyzerException;
import io.minutes.core.port.RateLimitObserver;
import io.minutes.core.testing.TestRequests;
import io.minutes.providers.http.ProviderHttp;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.tuple;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

/**
 * The one contract every analyzer adapter passes: openai and anthropic over real HTTP against
 * WireMock stubs shaped like the providers' API references, and the in-process sim. A backend that
 * cannot show a case (sim has no keys, no rate-limit headers, no context window) skips it, naming
 * itself.
 */
public abstract class AnalyzerContract {
    protected static final String KEY = "sk-contract-test-key-0123456789";

    /** Provider failures every backend is asked to show. */
    protected enum ProviderError { SERVER_ERROR, OVERLOADED, RATE_LIMITED_5S, AUTHENTICATION, CONTENT_FILTER }

    protected final Observer observer = new Observer();

    protected abstract String backend();

    /** A fresh adapter; created after the stubs of a test are in place. */
    protected abstract Analyzer newAnalyzer(RateLimitObserver observer, long contextTokens);

    /** Every request whose user prompt contains {@code marker} (every request when null) gets {@code answer}. */
    protected abstract void stubAnswer(String marker, JsonNode answer);

    protected abstract void stubInvalidThenValid(JsonNode invalid, JsonNode valid);

    protected abstract void stubError(ProviderError error);

    /** Like a model's context window: any request whose body is longer than {@code maxBodyChars} gets the provider's context-length error. */
    protected abstract void stubContextWindow(int maxBodyChars);

    /** An answer cut off at max_tokens. */
    protected abstract void stubTruncated();

    /** The user prompt (transcript part) of every request sent, in order. */
    protected abstract List<String> userPrompts();

    /** The user prompt of every request that got an answer (not an error), in order. */
    protected abstract List<String> answeredUserPrompts();

    /** The raw body of every request sent, in order. */
    protected abstract List<String> requestBodies();

    protected Analyzer newAnalyzer() {
        return newAnalyzer(observer, 200_000);
    }

    static Transcript meeting() {
        return new Transcript("vtt", List.of(
                new Segment("Alice", 0.0, 6.5, "Welcome everyone, today we review the launch plan and the budget."),
                new Segment("Bob", 6.5, 14.0, "The audit is late, so I propose we move the launch to March."),
                new Segment("Alice", 14.0, 20.0, "Agreed, we decided to move the launch to March."),
                new Segment("Bob", 20.0, 27.5, "I will send the revised plan to the board by Friday."),
                new Segment("Alice", 27.5, 33.0, "Open question: do we need a new venue for the launch event?")));
    }

    static ObjectNode answer(String summary, String... actionItemsDescOwnerDue) {
        ObjectNode a = ProviderHttp.JSON.createObjectNode();
        a.put("summary", summary);
        ArrayNode items = a.putArray("action_items");
        for (int i = 0; i + 2 < actionItemsDescOwnerDue.length; i += 3) {
            ObjectNode it = items.addObject();
            it.put("description", actionItemsDescOwnerDue[i]);
            it.put("owner", actionItemsDescOwnerDue[i + 1]);
            it.put("due", actionItemsDescOwnerDue[i + 2]);
            evidence(it, 3, "Bob", "I will send the revised plan to the board");
        }
        evidence(a.putArray("decisions").addObject().put("text", "Move the launch to March."), 2, "Alice",
                "we decided to move the launch to March");
        evidence(a.putArray("open_questions").addObject().put("text", "Is a new venue needed for the launch event?"), 4, "Alice",
                "do we need a new venue for the launch event?");
        a.putArray("topics").add("launch plan").add("budget");
        a.putArray("participants").add("Alice").add("Bob");
        return a;
    }

    /** Cites where an item was said, as the schema asks: segment number, speaker, quote. */
    static ObjectNode evidence(ObjectNode item, int segment, String speaker, String quote) {
        item.putObject("evidence").put("segment", segment).put("speaker", speaker).put("quote", quote);
        return item;
    }

    static ObjectNode validAnswer() {
        return answer("The team moved the launch to March because the audit is late.",
                "Send the revised plan to the board", "Bob", "Friday");
    }

    static Analyzer.Request request(Transcript t) {
        return TestRequests.request("m-1", "Launch review", t);
    }

    @Test
    void turnsATranscriptIntoMinutesWithUsage() throws Exception {
        stubAnswer(null, validAnswer());
        Analyzer analyzer = newAnalyzer();

        Analyzer.Result result = analyzer.analyze(request(meeting()));

        Analysis a = result.analysis();
        assertThat(a.title()).isEqualTo("Launch review");
        assertThat(a.summary()).isNotBlank();
        assertThat(a.participants()).extracting(p -> p.name()).contains("Alice", "Bob");
        assertThat(a.participants()).allSatisfy(p -> assertThat(p.words()).isPositive());
        assertThat(result.usage().inputTokens()).isPositive();
        assertThat(result.usage().outputTokens()).isPositive();
        assertThat(analyzer.name()).isEqualTo(backend());
    }

    @Test
    void keepsWhatTheModelAnswered() throws Exception {
        remoteOnly("its answers are derived from the transcript, not from a model");
        stubAnswer(null, validAnswer());

        Analysis a = newAnalyzer().analyze(request(meeting())).analysis();

        assertThat(a.summary()).isEqualTo("The team moved the launch to March because the audit is late.");
        assertThat(a.actionItems()).singleElement().satisfies(i -> {
            assertThat(i.description()).isEqualTo("Send the revised plan to the board");
            assertThat(i.owner()).isEqualTo("Bob");
            assertThat(i.due()).isEqualTo("Friday");
        });
        assertThat(Items.texts(a.decisions())).containsExactly("Move the launch to March.");
        assertThat(a.openQuestions()).hasSize(1);
        assertThat(a.topics()).containsExactly("launch plan", "budget");
        assertThat(a.participants()).filteredOn(p -> p.name().equals("Bob")).singleElement()
                .satisfies(p -> assertThat(p.talkSeconds()).isEqualTo(15.0));
        assertThat(userPrompts()).singleElement().asString()
                .contains("[00:00:20] Bob: I will send the revised plan to the board by Friday.");
    }

    @Test
    void estimatesTokensBeforeSending() {
        remoteOnly("it does not estimate (it has no token budget)");
        Analyzer.Estimate e = newAnalyzer().estimate(request(meeting()));

        assertThat(e.inputTokens()).as("transcript + prompt + schema").isBetween(200L, 3_000L);
        assertThat(e.maxOutputTokens()).isEqualTo(1_000);
        assertThat(e.maxCostUsd()).isPositive();
        assertThat(requestBodies()).as("estimating sends nothing").isEmpty();
    }

    @Test
    void serverErrorsAreTransient() {
        stubError(ProviderError.SERVER_ERROR);
        AnalyzerException e = catchThrowableOfType(AnalyzerException.class, () -> newAnalyzer().analyze(request(meeting())));
        assertThat(e.failure().kind()).isEqualTo(Failure.Kind.TRANSIENT);
        assertThat(e.getMessage()).contains("503");
    }

    @Test
    void overloadIsTransient() {
        stubError(ProviderError.OVERLOADED);
        AnalyzerException e = catchThrowableOfType(AnalyzerException.class, () -> newAnalyzer().analyze(request(meeting())));
        assertThat(e.failure().kind()).isEqualTo(Failure.Kind.TRANSIENT);
    }

    @Test
    void aRateLimitIsTransientWithTheProviderDelayAndReported() {
        stubError(ProviderError.RATE_LIMITED_5S);
        AnalyzerException e = catchThrowableOfType(AnalyzerException.class, () -> newAnalyzer().analyze(request(meeting())));
        assertThat(e.failure().kind()).isEqualTo(Failure.Kind.TRANSIENT);
        assertThat(e.failure().retryAfter()).isEqualTo(Duration.ofSeconds(5));
        assertThat(e.getMessage()).contains("429");
        assertThat(observer.rateLimited).containsExactly(Duration.ofSeconds(5));
    }

    @Test
    void everyResponseReportsItsRateLimitHeaders() throws Exception {
        remoteOnly("it sends no rate-limit headers");
        stubAnswer(null, validAnswer());
        newAnalyzer().analyze(request(meeting()));
        assertThat(observer.snapshots).singleElement().satisfies(s -> {
            assertThat(s.requestsLimit()).isEqualTo(500);
            assertThat(s.requestsRemaining()).isEqualTo(499);
            assertThat(s.requestsReset()).isNotNull();
        });
    }

    @Test
    void aRefusedKeyStopsEveryLaterCallWithoutARequest() {
        stubError(ProviderError.AUTHENTICATION);
        Analyzer analyzer = newAnalyzer();

        AnalyzerException first = catchThrowableOfType(AnalyzerException.class, () -> analyzer.analyze(request(meeting())));
        AnalyzerException second = catchThrowableOfType(AnalyzerException.class, () -> analyzer.analyze(request(meeting())));

        assertThat(first.failure().kind()).isEqualTo(Failure.Kind.PERMANENT);
        assertThat(first.getMessage()).contains("401", "API_KEY").doesNotContain(KEY);
        assertThat(second.failure().kind()).isEqualTo(Failure.Kind.PERMANENT);
        assertThat(second.getMessage()).contains("not sent").doesNotContain(KEY);
        assertThat(requestBodies()).hasSize(1);
    }

    @Test
    void contentFilterIsPermanent() {
        stubError(ProviderError.CONTENT_FILTER);
        AnalyzerException e = catchThrowableOfType(AnalyzerException.class, () -> newAnalyzer().analyze(request(meeting())));
        assertThat(e.failure().kind()).isEqualTo(Failure.Kind.PERMANENT);
        assertThat(e.getMessage()).contains("content filter");
    }

    @Test
    void anInvalidAnswerGetsExactlyOneRepairCall() throws Exception {
        ObjectNode invalid = ProviderHttp.JSON.createObjectNode().put("summary", "Launch moved.");
        stubInvalidThenValid(invalid, validAnswer());

        Analyzer.Result result = newAnalyzer().analyze(request(meeting()));

        assertThat(result.analysis().actionItems()).hasSize(1);
        assertThat(requestBodies()).hasSize(2);
        assertThat(requestBodies().get(1)).contains("$.action_items: missing", "Launch moved.");
        assertThat(result.usage().inputTokens()).as("both calls are paid for").isEqualTo(2 * singleCallInputTokens());
    }

    @Test
    void anAnswerStillInvalidAfterTheRepairFailsPermanently() {
        ObjectNode invalid = ProviderHttp.JSON.createObjectNode().put("summary", "Launch moved.");
        stubInvalidThenValid(invalid, invalid);

        AnalyzerException e = catchThrowableOfType(AnalyzerException.class, () -> newAnalyzer().analyze(request(meeting())));

        assertThat(e.failure().kind()).isEqualTo(Failure.Kind.PERMANENT);
        assertThat(e.getMessage()).contains("after one repair attempt", "$.action_items: missing");
        assertThat(requestBodies()).hasSize(2);
    }

    @Test
    void anAnswerCutOffAtMaxTokensSaysWhichSettingToRaise() {
        stubTruncated();
        AnalyzerException e = catchThrowableOfType(AnalyzerException.class, () -> newAnalyzer().analyze(request(meeting())));
        assertThat(e.failure().kind()).isEqualTo(Failure.Kind.PERMANENT);
        assertThat(e.getMessage()).contains("--max-output-tokens");
    }

    /**
     * Must show: a transcript longer than the model's context (the provider says so) is analysed in
     * parts split at speaker turns, with overlap and timestamps, and the merged minutes keep the
     * action items of every part, even one the merge call dropped.
     */
    @Test
    void aTranscriptLongerThanTheContextIsAnalysedInPartsKeepingEveryActionItem() throws Exception {
        Transcript longMeeting = LongMeeting.transcript();
        stubContextWindow(LongMeeting.CONTEXT_WINDOW_CHARS);
        stubAnswer("Transcript part", answer("Part about the venue.", "Book the venue for the launch", "Alice", "March 3"));
        stubAnswer(LongMeeting.MIDDLE_MARKER, answer("Part about the budget.", "Send the budget to finance", "Bob", "Friday"));
        stubAnswer(LongMeeting.END_MARKER, answer("Part about the press.", "Draft the press release", "Carol", null));
        stubAnswer("Merge them", answer("The team planned the launch: venue, budget and press.",
                "Book the venue for the launch", "Alice", "March 3", "Send the budget to finance", "Bob", "Friday"));

        Analyzer.Result result = newAnalyzer(observer, 200_000).analyze(request(longMeeting));

        assertThat(result.analysis().summary()).isEqualTo("The team planned the launch: venue, budget and press.");
        assertThat(result.analysis().actionItems()).extracting(i -> i.description())
                .containsExactlyInAnyOrder("Book the venue for the launch", "Send the budget to finance", "Draft the press release");
        List<String> prompts = userPrompts();
        assertThat(prompts.getFirst()).contains("Transcript, one turn a line");
        List<String> answered = answeredUserPrompts();
        List<String> parts = answered.stream().filter(p -> p.contains("Transcript part")).toList();
        assertThat(parts).hasSizeGreaterThanOrEqualTo(3);
        assertThat(answered.getLast()).contains("Merge them", "Minutes of part " + parts.size());
        LongMeeting.assertPartsSplitAtTurnsWithOverlap(longMeeting, parts);
        assertThat(result.usage().inputTokens()).as("the answered calls are paid for")
                .isEqualTo(answered.size() * singleCallInputTokens());
    }

    @Test
    void aTranscriptOverTheConfiguredContextIsSplitWithoutTryingItWhole() throws Exception {
        remoteOnly("it has no context window");
        stubAnswer("Transcript part", answer("A part.", "Book the venue for the launch", "Alice", "March 3"));
        stubAnswer("Merge them", answer("The whole meeting."));

        Analyzer.Result result = newAnalyzer(observer, 4_000).analyze(request(LongMeeting.transcript()));

        assertThat(userPrompts()).noneMatch(p -> p.contains("Transcript, one turn a line"));
        assertThat(userPrompts().stream().filter(p -> p.contains("Transcript part")).count()).isGreaterThanOrEqualTo(2);
        assertThat(result.analysis().actionItems()).extracting(i -> i.description()).containsExactly("Book the venue for the launch");
    }

    @Test
    void aMergeAnswerThatStaysInvalidStillGivesTheMinutesOfEveryPart() throws Exception {
        remoteOnly("it has no context window");
        stubAnswer("Transcript part", answer("A part of the launch meeting.", "Book the venue for the launch", "Alice", "March 3"));
        stubAnswer("Merge them", ProviderHttp.JSON.createObjectNode().put("summary", "Merged."));

        Analysis a = newAnalyzer(observer, 4_000).analyze(request(LongMeeting.transcript())).analysis();

        assertThat(a.summary()).startsWith("A part of the launch meeting. A part of the launch meeting.");
        assertThat(a.actionItems()).extracting(i -> i.description()).containsExactly("Book the venue for the launch");
        assertThat(a.participants()).extracting(p -> p.name()).containsExactlyInAnyOrder("Alice", "Bob", "Carol");
        assertThat(userPrompts().stream().filter(p -> p.contains("Merge them")).count()).as("one merge call, one repair").isEqualTo(2);
    }

    /** The input tokens a stubbed answer reports. */
    protected long singleCallInputTokens() {
        return 812;
    }

    /**
     * Must show: whatever a provider answers, the minutes kept name only participants as owners (an invented or
     * ambiguous owner becomes unassigned), and an item whose quote the transcript does not hold is dropped or marked,
     * and counted; through the checks every answer passes in the engine ({@link CheckedAnalyzer}).
     */
    @Test
    void inventedOwnersAndQuotesNotInTheTranscriptDoNotReachTheMinutes() throws Exception {
        remoteOnly("its answers are made from the transcript; it cannot be told to invent owners or quotes");
        ObjectNode a = answer("The launch moves to March.");
        ArrayNode items = (ArrayNode) a.get("action_items");
        evidence(items.addObject().put("description", "Send the revised plan to the board").put("owner", "bob").put("due", "by Friday"),
                3, "Bob", "I will send the revised plan to the board");
        evidence(items.addObject().put("description", "Book a new venue").put("owner", "Zed Marlowe").putNull("due"),
                4, "Alice", "do we need a new venue for the launch event");
        evidence(items.addObject().put("description", "Cancel the launch").put("owner", "Alice").putNull("due"),
                2, "Alice", "we decided to cancel the launch");
        evidence(items.addObject().put("description", "Call the auditors").put("owner", "Bob").putNull("due"),
                42, "Bob", "I will call the auditors");
        ((ArrayNode) a.get("decisions")).addObject().put("text", "Double the budget").putObject("evidence")
                .put("segment", 1).put("speaker", "Bob").put("quote", "we double the budget");
        stubAnswer(null, a);
        Analyzer.Request friday = request(meeting()).withMeetingDate(java.time.LocalDate.of(2026, 11, 16));

        Analysis marked = new CheckedAnalyzer(newAnalyzer(), UnsupportedItems.MARK).analyze(friday).analysis();
        Analysis dropped = new CheckedAnalyzer(newAnalyzer(), UnsupportedItems.DROP).analyze(friday).analysis();

        assertThat(marked.actionItems()).extracting(ActionItem::description, ActionItem::owner, ActionItem::supported).containsExactly(
                tuple("Send the revised plan to the board", "Bob", true),
                tuple("Book a new venue", null, true),
                tuple("Cancel the launch", "Alice", false),
                tuple("Call the auditors", "Bob", false));
        assertThat(marked.actionItems().getFirst().dueDate()).isEqualTo(java.time.LocalDate.of(2026, 11, 20));
        assertThat(marked.actionItems().getFirst().evidence().start()).isEqualTo(20.0);
        assertThat(marked.decisions()).extracting(Finding::text, Finding::supported)
                .containsExactly(tuple("Move the launch to March.", true), tuple("Double the budget", false));
        assertThat(marked.unsupportedItems()).isEqualTo(3);
        assertThat(marked.warnings()).singleElement().asString().startsWith("3 items' evidence was not found");
        assertThat(dropped.actionItems()).extracting(ActionItem::description)
                .containsExactly("Send the revised plan to the board", "Book a new venue");
        assertThat(Items.texts(dropped.decisions())).containsExactly("Move the launch to March.");
        assertThat(dropped.unsupportedItems()).isEqualTo(3);
    }

    /** Must show: a merge that drops a part's items loses none of them, and each part's contribution is recorded. */
    @Test
    void aMergeThatDropsAPartsItemsLosesNoneOfThem() throws Exception {
        Transcript longMeeting = LongMeeting.transcript();
        stubContextWindow(LongMeeting.CONTEXT_WINDOW_CHARS);
        ObjectNode middle = answer("Part about the budget.", "Send the budget to finance", "Bob", "Friday");
        ((ArrayNode) middle.get("decisions")).addObject().put("text", "Hire two more support engineers").putObject("evidence")
                .put("segment", 0).putNull("speaker").put("quote", "hire");
        stubAnswer("Transcript part", answer("Part about the venue.", "Book the venue for the launch", "Alice", "March 3"));
        stubAnswer(LongMeeting.MIDDLE_MARKER, middle);
        stubAnswer(LongMeeting.END_MARKER, answer("Part about the press.", "Draft the press release", "Carol", null));
        ObjectNode merged = answer("The whole launch.");
        ((ArrayNode) merged.get("decisions")).removeAll();
        stubAnswer("Merge them", merged);

        Analysis a = newAnalyzer(observer, 200_000).analyze(request(longMeeting)).analysis();

        assertThat(a.actionItems()).extracting(ActionItem::description)
                .containsExactlyInAnyOrder("Book the venue for the launch", "Send the budget to finance", "Draft the press release");
        assertThat(Items.texts(a.decisions())).containsExactlyInAnyOrder("Move the launch to March.", "Hire two more support engineers");
        int parts = (int) answeredUserPrompts().stream().filter(p -> p.contains("Transcript part")).count();
        assertThat(a.coverage()).hasSize(parts).allMatch(c -> c.parts() == parts && c.actionItems() == 1);
        assertThat(a.coverage()).extracting(PartCoverage::part).containsExactlyElementsOf(
                java.util.stream.IntStream.rangeClosed(1, parts).boxed().toList());
    }

    protected void remoteOnly(String why) {
        // backends that are not remote override this to skip
    }

    protected static final class Observer implements RateLimitObserver {
        final List<RateLimitSnapshot> snapshots = new CopyOnWriteArrayList<>();
        final List<Duration> rateLimited = new CopyOnWriteArrayList<>();

        @Override
        public void observed(String provider, RateLimitSnapshot snapshot) {
            snapshots.add(snapshot);
        }

        @Override
        public void rateLimited(String provider, Duration retryAfter) {
            rateLimited.add(retryAfter);
        }
    }

    /** Lines of a list, for assertions. */
    static List<String> lines(String text) {
        List<String> out = new ArrayList<>();
        for (String l : text.split("\n")) if (!l.isBlank()) out.add(l);
        return out;
    }
}
