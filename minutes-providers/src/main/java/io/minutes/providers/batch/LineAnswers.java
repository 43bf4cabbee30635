package io.minutes.providers.batch;

import com.fasterxml.jackson.databind.JsonNode;
import io.minutes.core.domain.Transcript;
import io.minutes.core.domain.Usage;
import io.minutes.core.port.Analyzer;
import io.minutes.core.port.AnalyzerException;
import io.minutes.core.port.ProviderBatches.Line;
import io.minutes.core.port.ProviderBatches.LineResult;
import io.minutes.providers.cost.Prices;
import io.minutes.providers.http.ProviderHttp;
import io.minutes.providers.llm.ChatModel;
import io.minutes.providers.llm.LlmAnalyzer;

import java.util.HashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;

/**
 * What both batch clients do with a line: build it from the realtime request ({@link ChatModel#requestBody}, the
 * one place a request is made), and read its answer as the realtime lane reads one ({@link ChatModel#reply},
 * {@link LlmAnalyzer#answered}): a valid answer is {@code Answered} at the batch price, an invalid one
 * {@code Errored} with {@code UNUSABLE_ANSWER} (no repair call in the batch lane), a provider error
 * {@code Errored} through the error table.
 */
public final class LineAnswers {
    private static final Transcript NO_TRANSCRIPT = new Transcript("batch", List.of());

    private final ChatModel chat;
    private final LlmAnalyzer analyzer;
    private final ProviderHttp http;
    private final Prices listPrices;
    private final Prices batchPrices;

    public LineAnswers(ChatModel chat, LlmAnalyzer analyzer, ProviderHttp http, Prices prices) {
        this.chat = chat;
        this.analyzer = analyzer;
        this.http = http;
        this.listPrices = prices.atLane(Prices.Lane.REALTIME);
        this.batchPrices = prices.atLane(Prices.Lane.BATCH);
    }

    /** The request body of {@code request}'s one call, its size, and the most it may cost at the batch price; empty when it needs parts. */
    public Optional<Request> request(Analyzer.Request request) {
        return analyzer.oneCall(request).map(call -> new Request(chat.requestBody(call.prompt()), call.inputTokens(),
                call.maxOutputTokens(), batchPrices.mostCost(chat.model(), call.inputTokens(), call.maxOutputTokens())));
    }

    /** {@code maxCostUsd}: what a budget reserves for the line (its input and its whole output allowance at the batch price). */
    public record Request(com.fasterxml.jackson.databind.node.ObjectNode body, long inputTokens, long maxOutputTokens,
                          double maxCostUsd) {
    }

    /**
     * The outcome of a line the provider answered with {@code responseBody} (a Chat Completion, a Message);
     * {@code request}: the request it was made from, or null when unknown.
     */
    public LineResult answered(String customId, JsonNode responseBody, Analyzer.Request request) {
        try {
            ChatModel.Reply reply = chat.reply(responseBody, 200);
            String title = request == null ? "" : request.title();
            Transcript transcript = request == null ? NO_TRANSCRIPT : request.transcript();
            var analysis = analyzer.answered(reply, title, transcript);
            if (request != null && request.style() != null) {
                analysis = analysis.withLanguage(request.style().language()).withTemplate(request.style().template().name());
            }
            double paid = batchPrices.tokensCost(chat.model(), reply.tokens());
            double list = listPrices.tokensCost(chat.model(), reply.tokens());
            return new LineResult.Answered(customId, new Analyzer.Result(analysis,
                    new Usage(reply.inputTokens(), reply.outputTokens(), paid)), list);
        } catch (AnalyzerException e) {
            return new LineResult.Errored(customId, e.failure());
        }
    }

    /** The outcome of a line the provider answered with HTTP {@code status} and the error {@code body}. */
    public LineResult errored(String customId, int status, String body) {
        return new LineResult.Errored(customId, http.classify(status, body).failure());
    }

    /** A duplicate custom id would make two meetings' answers indistinguishable: a bug, refused before sending. */
    public static void refuseDuplicates(List<Line> lines) {
        Set<String> seen = new HashSet<>();
        for (Line line : lines) {
            if (!seen.add(line.customId())) {
                throw new IllegalArgumentException("custom id '" + line.customId() + "' appears twice in one provider batch;"
                        + " each line must have its own (a bug in the caller)");
            }
        }
    }

    /** Checks a batch is within the provider's limits before it is sent: beyond them is the caller's bug. */
    public static void checkLimits(String provider, List<Line> lines, io.minutes.core.port.ProviderBatches.Limits limits) {
        if (lines.isEmpty()) throw new IllegalArgumentException("a provider batch needs at least one line");
        if (lines.size() > limits.maxLines()) {
            throw new IllegalArgumentException(lines.size() + " lines in one " + provider + " batch; at most " + limits.maxLines());
        }
        long bytes = 0;
        for (Line l : lines) bytes += l.json().length() + 1;
        if (bytes > limits.maxBytes()) {
            throw new IllegalArgumentException("about " + bytes + " bytes in one " + provider + " batch; at most " + limits.maxBytes());
        }
    }

}
