package io.minutes.providers.llm;

import io.minutes.core.domain.ActionItem;
import io.minutes.core.domain.Analysis;
import io.minutes.core.domain.Failure;
import io.minutes.core.domain.Finding;
import io.minutes.core.domain.Lane;
import io.minutes.core.domain.Participant;
import io.minutes.core.domain.PartCoverage;
import io.minutes.core.domain.Section;
import io.minutes.core.domain.Transcript;
import io.minutes.core.domain.Usage;
import io.minutes.core.port.Analyzer;
import io.minutes.core.port.AnalyzerException;
import io.minutes.core.port.CallAdmission;
import io.minutes.providers.cost.HeldAnswers;
import io.minutes.providers.cost.Prices;
import io.minutes.providers.cost.TokenCounter;
import io.minutes.providers.http.ErrorKind;
import io.minutes.providers.http.ProviderException;
import io.minutes.providers.http.RetryInPlace;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.function.Function;

/**
 * Minutes from a language model, whatever its protocol ({@link ChatModel}): asks for the analysis
 * as schema-bound JSON, validates every answer, and gives an invalid answer exactly one repair
 * call (the model sees its answer and the validation errors); that repair is not a transport retry
 * and is logged at warn level, and a failure after it says "after one repair attempt".
 *
 * <p>A transcript longer than the model's context (by the estimate, or because the provider says
 * so) is cut into parts at speaker turns, with overlap and timestamps kept; each part is analysed,
 * and a final call merges the partial minutes. Every action item and decision of every part is kept:
 * one the merge dropped is added back.
 *
 * <p>Every call (a part, the merge, a repair) is admitted by the {@link CallAdmission} on its own, for
 * its own estimated size, and settled with the usage its answer reports; a 429 on any of them is that
 * call's refusal (the provider's pause is the observer's, through {@code ProviderHttp}).
 *
 * <p>A request in the flex lane ({@link Request#flex()}) sends its calls through the flex chat ({@link #withFlex}:
 * OpenAI's {@code service_tier: flex}) at the flex price, when this analyzer has one; the result says the lane
 * that answered, and what its usage costs at the list price.
 *
 * <p>The provider is never paid twice for a call of a meeting: once one call of a meeting was answered,
 * a later call refused (429) or failed for a passing reason (5xx, timeout) is sent again in place
 * ({@link RetryInPlace}); and every valid answer is held on this node until the meeting's analysis ends
 * ({@link HeldAnswers}), so a meeting that still goes back to the queue and is tried again here asks
 * only what was not answered yet.
 */
public final class LlmAnalyzer implements Analyzer {
    private static final Logger log = LoggerFactory.getLogger(LlmAnalyzer.class);
    private static final long MIN_PART_TOKENS = 64;
    private static final double SAFETY = 0.85;
    /** Meetings whose answered calls are held at once; far more than run at once on one node. */
    static final int HELD_MEETINGS = 1_000;

    /** {@code contextTokens}: the model's context window (input + output). */
    public record Options(int maxOutputTokens, long contextTokens) {
        public Options {
            if (maxOutputTokens < 1) throw new IllegalArgumentException("max output tokens must be >= 1");
            if (contextTokens <= maxOutputTokens) {
                throw new IllegalArgumentException("context tokens (" + contextTokens + ") must exceed max output tokens (" + maxOutputTokens + ")");
            }
        }
    }

    private final ChatModel chat;
    private final Options options;
    private final Prices prices;
    /** The same calls in the flex tier, and their prices; null: no flex tier, every call is realtime. */
    private final ChatModel flexChat;
    private final Prices flexPrices;
    private final TokenCounter counter;
    private final long overhead;
    private final CallAdmission admission;
    /** Valid answers of unfinished meetings, by meeting and prompt. */
    private final HeldAnswers<String, Answered> held = new HeldAnswers<>(HELD_MEETINGS);

    /** Each call to the provider is admitted by {@code admission}. */
    public LlmAnalyzer(ChatModel chat, Options options, Prices prices, CallAdmission admission) {
        this(chat, options, prices, admission, TokenCounter.forModel(chat.model()));
    }

    /** {@code counter}: how this model's tokens are counted (the model's own tokenizer or an approximation). */
    public LlmAnalyzer(ChatModel chat, Options options, Prices prices, CallAdmission admission, TokenCounter counter) {
        this(chat, options, prices, admission, counter, null);
    }

    private LlmAnalyzer(ChatModel chat, Options options, Prices prices, CallAdmission admission, TokenCounter counter,
                        ChatModel flexChat) {
        this.admission = admission;
        this.chat = chat;
        this.options = options;
        this.prices = prices;
        this.flexChat = flexChat;
        this.flexPrices = prices.atLane(Prices.Lane.FLEX);
        this.counter = counter;
        this.overhead = counter.count(Prompts.SYSTEM) + chat.overheadTokens(counter::count) + counter.count(Prompts.part("", "1", 1,
                new TranscriptText.Part(List.of(io.minutes.core.domain.Segment.of(null, "")), 1, List.of(0))));
    }

    /**
     * The same analyzer, sending the calls of a request in the flex lane through {@code flexChat} (the same model and
     * request, in the provider's flex tier), priced at {@link Prices.Lane#FLEX}.
     */
    public LlmAnalyzer withFlex(ChatModel flexChat) {
        return new LlmAnalyzer(chat, options, prices, admission, counter, java.util.Objects.requireNonNull(flexChat, "flexChat"));
    }

    @Override
    public String name() {
        return chat.provider();
    }

    /** Whether {@code request}'s calls go in the flex tier: it asks for flex and this analyzer has a flex chat. */
    private boolean inFlex(Request request) {
        return flexChat != null && request.flex();
    }

    @Override
    public boolean admitsEachCall() {
        return admission != CallAdmission.NONE;
    }

    /** The most transcript tokens one request may carry. */
    long partBudget() {
        return Math.max(MIN_PART_TOKENS, (long) ((options.contextTokens() - options.maxOutputTokens() - overhead) * SAFETY));
    }

    @Override
    public Estimate estimate(Request request) {
        long single = singleCallTokens(TranscriptText.render(request.transcript()));
        if (fitsOneCall(single)) {
            return new Estimate(single, options.maxOutputTokens(), maxCost(single, options.maxOutputTokens(), inFlex(request)));
        }
        List<TranscriptText.Part> parts = split(request.transcript(), partBudget());
        long input = 0;
        for (TranscriptText.Part p : parts) input += overhead + counter.count(p.text());
        input += overhead + (long) parts.size() * options.maxOutputTokens() / 2; // the merge call reads the partial minutes
        long output = (long) (parts.size() + 1) * options.maxOutputTokens();
        return new Estimate(input, output, maxCost(input, output, inFlex(request)));
    }

    @Override
    public Result analyze(Request request) throws AnalyzerException {
        try {
            Result result = analyzeOnce(request);
            held.release(request.meetingId());
            return result;
        } catch (AnalyzerException e) {
            if (!e.failure().isTransient()) held.release(request.meetingId());
            throw e;
        }
    }

    /** The input tokens of the transcript sent whole in one call: the system prompt, the instructions and the text. */
    private long singleCallTokens(String text) {
        return overhead + counter.count(text);
    }

    private boolean fitsOneCall(long singleCallTokens) {
        return singleCallTokens + options.maxOutputTokens() <= options.contextTokens() * SAFETY;
    }

    private Result analyzeOnce(Request request) throws AnalyzerException {
        Calls calls = inFlex(request) ? new Calls(Lane.FLEX, flexChat, flexPrices) : new Calls(Lane.REALTIME, chat, prices);
        Analysis analysis;
        String text = TranscriptText.render(request.transcript());
        // the prepared estimate counted this very transcript (whole, when it fits one call): not counted again
        Estimate prepared = request.preparedEstimate();
        long single = prepared != null ? prepared.inputTokens() : singleCallTokens(text);
        if (!fitsOneCall(single)) {
            log.info("{}: {} needs about {} input tokens, more than {}'s context allows in one request; analysing it in parts",
                    chat.provider(), request.meetingId(), single, chat.model());
            analysis = inParts(request, partBudget(), calls);
        } else {
            try {
                analysis = answer(new ChatModel.Prompt(Prompts.system(request.style()), Prompts.whole(request.title(), text)), single,
                        "the call", request, request.transcript(), calls);
            } catch (ProviderException e) {
                if (e.kind() != ErrorKind.CONTEXT_LENGTH) throw e;
                log.info("{}: {} is longer than the model's context ({}); analysing it in parts",
                        chat.provider(), request.meetingId(), e.getMessage());
                analysis = inParts(request, Math.min(partBudget(), Math.max(MIN_PART_TOKENS, (single - overhead) / 2)), calls);
            }
        }
        if (calls.repaired) analysis = analysis.withWarning(Analysis.REPAIRED_ANSWER_WARNING);
        if (request.style() != null) {
            analysis = analysis.withLanguage(request.style().language()).withTemplate(request.style().template().name());
        }
        double cost = prices.tokensCost(chat.model(), calls.realtimeTokens())
                + (calls.flex.isEmpty() ? 0.0 : flexPrices.tokensCost(chat.model(), calls.flex));
        double list = prices.tokensCost(chat.model(), calls.tokens());
        return new Result(analysis, new Usage(calls.input, calls.output, cost), calls.lane, list == cost ? null : list);
    }

    /**
     * The one call that answers {@code request} whole, as {@link #analyze} sends it: its prompt and its input
     * tokens. Empty when the transcript needs parts and a merge (longer than the model's context). The batch
     * lane sends {@code chat.requestBody(prompt)} as its line.
     */
    public Optional<OneCall> oneCall(Request request) {
        String text = TranscriptText.render(request.transcript());
        long single = singleCallTokens(text);
        if (!fitsOneCall(single)) return Optional.empty();
        return Optional.of(new OneCall(new ChatModel.Prompt(Prompts.system(request.style()), Prompts.whole(request.title(), text)), single,
                options.maxOutputTokens()));
    }

    /** The prompt of a meeting answered in one call, its input tokens as admission counts them, and its output reservation. */
    public record OneCall(ChatModel.Prompt prompt, long inputTokens, int maxOutputTokens) {
    }

    /**
     * The minutes in an answer that came without a call of this analyzer (a batch line), checked as a realtime
     * answer is. An invalid answer fails with {@code UNUSABLE_ANSWER}: the batch lane makes no repair call.
     */
    public Analysis answered(ChatModel.Reply reply, String title, Transcript transcript) throws AnalyzerException {
        List<String> problems = problems(reply);
        if (!problems.isEmpty()) {
            throw new AnalyzerException(Failure.of(Failure.Cause.UNUSABLE_ANSWER, chat.provider() + " (" + chat.model()
                    + "): the answer does not match the analysis schema (the batch lane makes no repair call): "
                    + String.join("; ", problems.subList(0, Math.min(5, problems.size())))));
        }
        return AnalysisSchema.toAnalysis(reply.answer(), title, transcript);
    }

    private Analysis inParts(Request request, long budget, Calls calls) throws AnalyzerException {
        List<Analysis> partials = new ArrayList<>();
        List<TranscriptText.Part> parts = split(request.transcript(), budget);
        for (int i = 0; i < parts.size(); i++) {
            analysePart(request, parts.get(i), String.valueOf(i + 1), parts.size(), budget, calls, partials);
        }
        if (partials.size() == 1) return partials.getFirst();
        Analysis merged;
        try {
            ChatModel.Prompt merge = new ChatModel.Prompt(Prompts.system(request.style()), Prompts.merge(request.title(), partials));
            merged = answer(merge, promptTokens(merge), "the merge", request, request.transcript(), calls);
        } catch (AnalyzerException e) {
            if (e.failure().isTransient()) throw e;
            log.warn("{}: merging the {} partial minutes of {} failed ({}); joining them without the model",
                    chat.provider(), partials.size(), request.meetingId(), e.getMessage());
            merged = joined(request, partials);
        }
        return keepEveryItem(merged, partials);
    }

    private void analysePart(Request request, TranscriptText.Part part, String label, int total, long budget,
                             Calls calls, List<Analysis> into) throws AnalyzerException {
        Transcript partTranscript = new Transcript(request.transcript().format(), part.turns());
        try {
            ChatModel.Prompt prompt = new ChatModel.Prompt(Prompts.system(request.style()), Prompts.part(request.title(), label, total, part));
            into.add(answer(prompt, promptTokens(prompt), "part " + label + " of " + total, request, partTranscript, calls));
        } catch (ProviderException e) {
            if (e.kind() != ErrorKind.CONTEXT_LENGTH || budget / 2 < MIN_PART_TOKENS) throw e;
            List<TranscriptText.Part> smaller = split(partTranscript, budget / 2);
            for (int j = 0; j < smaller.size(); j++) {
                analysePart(request, smaller.get(j).within(part), label + "." + (j + 1), total, budget / 2, calls, into);
            }
        }
    }

    /**
     * One answer, validated, with one repair call when it is invalid; the answer held for this meeting
     * when this prompt was answered before.
     */
    private Analysis answer(ChatModel.Prompt prompt, long promptTokens, String what, Request request, Transcript transcript,
                            Calls calls) throws AnalyzerException {
        Optional<Answered> kept = held.find(request.meetingId(), prompt.user());
        if (kept.isPresent()) {
            log.debug("{}: {} of {} was answered before; not asked again", chat.provider(), what, request.meetingId());
            calls.reuse(kept.get());
            return kept.get().analysis();
        }
        long inputBefore = calls.input;
        long cachedBefore = calls.cached;
        long cacheWrittenBefore = calls.cacheWritten;
        long outputBefore = calls.output;
        // the answer and its repair go in this analysis' lane
        boolean repairedBefore = calls.repaired;
        calls.repaired = false;
        Analysis analysis = validAnswer(prompt, promptTokens, what, request, transcript, calls);
        held.hold(request.meetingId(), prompt.user(),
                new Answered(analysis, calls.input - inputBefore, calls.cached - cachedBefore,
                        calls.cacheWritten - cacheWrittenBefore, calls.output - outputBefore, calls.repaired,
                        calls.lane == Lane.FLEX));
        calls.repaired |= repairedBefore;
        return analysis;
    }

    /** The input tokens of a call with {@code prompt}, as its admission counts them. */
    private long promptTokens(ChatModel.Prompt prompt) {
        return overhead + counter.count(prompt.user());
    }

    private Analysis validAnswer(ChatModel.Prompt prompt, long promptTokens, String what, Request request,
                                 Transcript transcript, Calls calls) throws AnalyzerException {
        ChatModel.Reply reply = admitted(promptTokens, () -> calls.sender.ask(prompt), what, request, calls);
        List<String> problems = problems(reply);
        if (!problems.isEmpty()) {
            log.warn("{}: the answer for {} ({}) does not match the analysis schema ({}); asking once for a repair",
                    chat.provider(), request.meetingId(), request.title(), String.join("; ", problems));
            ChatModel.Reply invalid = reply;
            List<String> found = problems;
            long repairTokens = promptTokens + counter.count(invalid.raw() == null ? "" : invalid.raw())
                    + counter.count(ChatModel.repairRequest(found));
            reply = admitted(repairTokens, () -> calls.sender.repair(prompt, invalid, found), "the repair of " + what, request, calls);
            problems = problems(reply);
            if (!problems.isEmpty()) {
                throw new AnalyzerException(Failure.of(Failure.Cause.UNUSABLE_ANSWER, chat.provider() + " (" + chat.model()
                        + "): the answer does not match the analysis schema after one repair attempt: "
                        + String.join("; ", problems.subList(0, Math.min(5, problems.size())))));
            }
            log.warn("{}: the repaired answer for {} is valid", chat.provider(), request.meetingId());
            calls.repaired = true;
        }
        return AnalysisSchema.toAnalysis(reply.answer(), request.title(), transcript);
    }

    /**
     * One call to the provider, counted in {@code calls}; sent again in place when it fails for a passing
     * reason after an earlier call of the meeting was answered.
     */
    private ChatModel.Reply admitted(long inputTokens, Call call, String what, Request request, Calls calls)
            throws AnalyzerException {
        RetryInPlace again = new RetryInPlace();
        while (true) {
            try {
                return calls.add(admitted(inputTokens, call, calls.prices));
            } catch (ProviderException e) {
                if (calls.answered == 0) throw e;
                Optional<Duration> wait = again.after(e.failure());
                if (wait.isEmpty()) throw e;
                log.info("{}: {} of {} failed ({}) after {} call(s) of it were answered; sending it again in {} ms "
                                + "rather than asking those again", chat.provider(), what, request.meetingId(), e.getMessage(),
                        calls.answered, wait.get().toMillis());
                if (!RetryInPlace.pause(wait.get())) {
                    throw new AnalyzerException(Failure.of(Failure.Cause.INTERRUPTED, "interrupted while waiting to send " + what
                            + " to " + chat.provider() + " again"));
                }
            }
        }
    }

    /**
     * One call to the provider, admitted for {@code inputTokens} and its output reservation, settled with its usage
     * (priced at {@code lanePrices}).
     */
    private ChatModel.Reply admitted(long inputTokens, Call call, Prices lanePrices) throws AnalyzerException {
        CallAdmission.Ticket ticket;
        try {
            ticket = admission.admit(new Estimate(inputTokens, options.maxOutputTokens(),
                    maxCost(inputTokens, options.maxOutputTokens(), lanePrices == flexPrices)));
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new AnalyzerException(Failure.of(Failure.Cause.INTERRUPTED, "interrupted while waiting for the "
                    + chat.provider() + " rate limit"));
        }
        try {
            ChatModel.Reply reply = call.send();
            ticket.answered(new Usage(reply.inputTokens(), reply.outputTokens(),
                    lanePrices.tokensCost(chat.model(), reply.tokens())));
            return reply;
        } catch (ProviderException e) {
            ticket.failed(e.failure());
            throw e;
        } catch (RuntimeException e) {
            ticket.failed(Failure.permanent(chat.provider() + ": " + e));
            throw e;
        }
    }

    @FunctionalInterface
    private interface Call {
        ChatModel.Reply send() throws ProviderException;
    }

    private List<String> problems(ChatModel.Reply reply) throws AnalyzerException {
        if (reply.truncated()) {
            throw new AnalyzerException(Failure.of(Failure.Cause.UNUSABLE_ANSWER, chat.provider() + " (" + chat.model() + "): the answer was cut off at "
                    + options.maxOutputTokens() + " output tokens; raise --max-output-tokens"));
        }
        if (reply.answer() == null) {
            String raw = reply.raw() == null ? "" : reply.raw().strip();
            return List.of("$: the answer is not JSON (it begins: " + raw.substring(0, Math.min(80, raw.length())) + ")");
        }
        return AnalysisSchema.validate(reply.answer());
    }

    private List<TranscriptText.Part> split(Transcript transcript, long budget) {
        return TranscriptText.split(transcript, budget, Math.min(budget / 10, 800), counter);
    }

    /**
     * The union of the parts: every action item, decision and open question of a part that the merged minutes lost
     * is added back (an item the merge kept in other words counts as kept: same owner and most of its words, or
     * near-identical text), and each part's contribution is recorded as its coverage.
     */
    static Analysis keepEveryItem(Analysis merged, List<Analysis> partials) {
        List<ActionItem> actions = new ArrayList<>(merged.actionItems());
        List<Finding> decisions = new ArrayList<>(merged.decisions());
        List<Finding> questions = new ArrayList<>(merged.openQuestions());
        List<PartCoverage> coverage = new ArrayList<>();
        for (int i = 0; i < partials.size(); i++) {
            Analysis part = partials.get(i);
            for (ActionItem item : part.actionItems()) {
                if (actions.stream().noneMatch(a -> sameOwner(a, item) && similar(a.description(), item.description()))) {
                    actions.add(item);
                }
            }
            addMissing(decisions, part.decisions());
            addMissing(questions, part.openQuestions());
            coverage.add(new PartCoverage(i + 1, partials.size(), part.actionItems().size(), part.decisions().size(),
                    part.openQuestions().size()));
        }
        Analysis kept = merged.withItems(actions, decisions, questions).withCoverage(coverage);
        if (!merged.sections().isEmpty()) return kept;
        // a merge that lost the template's sections: each part's, joined by name in the order they came
        Map<String, List<String>> sections = new LinkedHashMap<>();
        partials.forEach(p -> p.sections().forEach(sec -> sections.computeIfAbsent(sec.name(), k -> new ArrayList<>()).addAll(sec.items())));
        return kept.withSections(sections.entrySet().stream().map(e -> new Section(e.getKey(), e.getValue())).toList());
    }

    private static void addMissing(List<Finding> kept, List<Finding> part) {
        for (Finding f : part) {
            if (kept.stream().noneMatch(x -> similar(x.text(), f.text()))) kept.add(f);
        }
    }

    private Analysis joined(Request request, List<Analysis> partials) {
        Function<Function<Analysis, List<String>>, List<String>> union = f -> {
            Set<String> out = new LinkedHashSet<>();
            partials.forEach(p -> out.addAll(f.apply(p)));
            return List.copyOf(out);
        };
        Map<String, Finding> questions = new LinkedHashMap<>();
        partials.forEach(p -> p.openQuestions().forEach(q -> questions.putIfAbsent(q.text(), q)));
        String summary = String.join(" ", partials.stream().map(Analysis::summary).toList());
        List<String> names = union.apply(p -> p.participants().stream().map(Participant::name).toList());
        return new Analysis(request.title(), summary, List.of(), List.of(), List.copyOf(questions.values()),
                union.apply(Analysis::topics), AnalysisSchema.participants(request.transcript(), names));
    }

    private static boolean sameOwner(ActionItem a, ActionItem b) {
        return a.owner() == null || b.owner() == null || similar(a.owner(), b.owner());
    }

    /** Two phrasings of one item: most of the shorter one's words are in the other, and the same numbers. */
    static boolean similar(String a, String b) {
        Set<String> wa = words(a);
        Set<String> wb = words(b);
        if (wa.isEmpty() || wb.isEmpty()) return wa.equals(wb);
        if (!numbers(wa).equals(numbers(wb))) return false;
        Set<String> common = new HashSet<>(wa);
        common.retainAll(wb);
        return common.size() >= 0.6 * Math.min(wa.size(), wb.size());
    }

    private static Set<String> numbers(Set<String> words) {
        Set<String> out = new HashSet<>();
        for (String w : words) if (w.chars().anyMatch(Character::isDigit)) out.add(w);
        return out;
    }

    private static Set<String> words(String s) {
        Set<String> out = new HashSet<>(Arrays.asList(s.toLowerCase(Locale.ROOT).split("[^\\p{L}\\p{N}]+")));
        out.remove("");
        return out;
    }

    /**
     * The most a call of these tokens costs, at the price of this analyzer's lane ({@link Prices#atLane}: a batch line's
     * at the batch price) or ({@code flex}) the flex price: what its budget reservation holds.
     */
    private double maxCost(long input, long output, boolean flex) {
        return (flex ? flexPrices : prices).mostCost(chat.model(), input, output);
    }

    /**
     * A valid answer and the tokens paid for it (its call and its repair); {@code repaired}: it took a repair call;
     * {@code flex}: it was answered in the flex tier (and paid at its price).
     */
    private record Answered(Analysis analysis, long input, long cached, long cacheWritten, long output, boolean repaired,
                            boolean flex) {
    }

    /**
     * The tokens of every call made for one meeting, of them those answered in flex, and how many calls were answered;
     * {@code lane}: the lane this analysis sends its calls in, through {@code sender} at {@code prices}.
     */
    private static final class Calls {
        final Lane lane;
        final ChatModel sender;
        final Prices prices;
        long input;
        long cached;
        long cacheWritten;
        long output;
        /** Of them, the tokens answered in flex. */
        Prices.Tokens flex = Prices.Tokens.NONE;
        int answered;
        /** Some answer of the meeting took a repair call: not schema-valid on the first try. */
        boolean repaired;

        Calls(Lane lane, ChatModel sender, Prices prices) {
            this.lane = lane;
            this.sender = sender;
            this.prices = prices;
        }

        ChatModel.Reply add(ChatModel.Reply reply) {
            count(new Prices.Tokens(reply.inputTokens(), reply.cachedInputTokens(), reply.cacheWriteInputTokens(),
                    reply.outputTokens()), lane == Lane.FLEX);
            answered++;
            return reply;
        }

        /** An answer paid for by an earlier try of this meeting: its cost is this meeting's, counted once. */
        void reuse(Answered kept) {
            count(new Prices.Tokens(kept.input(), kept.cached(), kept.cacheWritten(), kept.output()), kept.flex());
            answered++;
            repaired |= kept.repaired();
        }

        /** Every call's tokens, in whichever lane it was answered. */
        Prices.Tokens tokens() {
            return new Prices.Tokens(input, cached, cacheWritten, output);
        }

        /** The tokens of the calls answered outside flex. */
        Prices.Tokens realtimeTokens() {
            return new Prices.Tokens(input - flex.input(), cached - flex.cacheRead(), cacheWritten - flex.cacheWrite(),
                    output - flex.output());
        }

        private void count(Prices.Tokens t, boolean inFlex) {
            input += t.input();
            cached += t.cacheRead();
            cacheWritten += t.cacheWrite();
            output += t.output();
            if (inFlex) flex = flex.plus(t);
        }
    }
}
