package io.minutes.providers.llm;

import com.fasterxml.jackson.databind.JsonNode;
import io.minutes.providers.cost.Prices;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.minutes.providers.http.ProviderException;

import java.util.List;

/**
 * One provider's way of asking a model for a structured answer: the wire protocol (OpenAI Chat
 * Completions, Anthropic Messages) behind the provider-neutral {@link LlmAnalyzer}.
 */
public interface ChatModel {

    /** The provider name: openai, anthropic. */
    String provider();

    String model();

    /**
     * Tokens a call costs beyond the text of its prompt: message framing and the schema or tool
     * definition the protocol sends along, as counted by {@code countText}.
     */
    long overheadTokens(java.util.function.ToLongFunction<String> countText);

    /** Asks for an answer to {@code prompt}. */
    Reply ask(Prompt prompt) throws ProviderException;

    /**
     * The body {@link #ask} sends for {@code prompt} now: the one place a request is built, which the batch
     * lane sends as a line (so a batch line asks exactly what a realtime call asks).
     */
    ObjectNode requestBody(Prompt prompt);

    /**
     * Reads a response body of {@link #ask} (a realtime answer or a batch line's {@code body}) as {@link #ask}
     * reads it; {@code status} is the HTTP status it came with.
     */
    Reply reply(JsonNode responseBody, int status) throws ProviderException;

    /** Asks again, in the same conversation, after {@code previous} failed validation with {@code problems}. */
    Reply repair(Prompt prompt, Reply previous, List<String> problems) throws ProviderException;

    /** What a repair call tells the model after its answer failed validation. */
    static String repairRequest(List<String> problems) {
        return "Your answer does not match the required JSON schema:\n- " + String.join("\n- ", problems)
                + "\nAnswer again with the complete, corrected JSON object.";
    }

    record Prompt(String system, String user) {
    }

    /**
     * A model's answer: {@code answer} is the parsed JSON (null when the text was not JSON),
     * {@code raw} the text as received, {@code truncated} true when the model stopped at the output
     * limit, {@code turn} the provider's own assistant message, replayed by {@link #repair};
     * {@code cachedInputTokens}: of the input tokens, those the provider read from its prompt cache (priced lower);
     * {@code cacheWriteInputTokens}: of the input tokens, those it wrote to its prompt cache (Anthropic prices them higher).
     */
    record Reply(JsonNode answer, String raw, long inputTokens, long outputTokens, boolean truncated, JsonNode turn,
                 long cachedInputTokens, long cacheWriteInputTokens) {
        public Reply(JsonNode answer, String raw, long inputTokens, long outputTokens, boolean truncated, JsonNode turn) {
            this(answer, raw, inputTokens, outputTokens, truncated, turn, 0, 0);
        }

        public Reply(JsonNode answer, String raw, long inputTokens, long outputTokens, boolean truncated, JsonNode turn,
                     long cachedInputTokens) {
            this(answer, raw, inputTokens, outputTokens, truncated, turn, cachedInputTokens, 0);
        }

        /** The tokens as the price table costs them. */
        public Prices.Tokens tokens() {
            return new Prices.Tokens(inputTokens, cachedInputTokens, cacheWriteInputTokens, outputTokens);
        }
    }
}
