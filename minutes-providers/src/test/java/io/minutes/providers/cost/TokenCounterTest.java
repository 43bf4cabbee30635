package io.minutes.providers.cost;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

class TokenCounterTest {

    @Test
    void openAiModelsUseTheirTokenizer() {
        assertThat(TokenCounter.forModel("gpt-4o-mini").method()).isEqualTo("o200k_base");
        assertThat(TokenCounter.forModel("gpt-4.1").method()).isEqualTo("o200k_base");
        assertThat(TokenCounter.forModel("gpt-5-nano").method()).isEqualTo("o200k_base");
        assertThat(TokenCounter.forModel("o4-mini").method()).isEqualTo("o200k_base");
        assertThat(TokenCounter.forModel("gpt-4-0613").method()).isEqualTo("cl100k_base");
        assertThat(TokenCounter.forModel("gpt-3.5-turbo").method()).isEqualTo("cl100k_base");
        assertThat(TokenCounter.forModel("claude-sonnet-4-5").method()).isEqualTo("chars/3.5");
        assertThat(TokenCounter.forModel("llama3.1").method()).isEqualTo("chars/3.5");
    }

    @Test
    void countsAreExactForOpenAiAndApproximateOtherwise() {
        // "hello world" is two tokens in both OpenAI encodings
        assertThat(TokenCounter.forModel("gpt-4o").count("hello world")).isEqualTo(2);
        assertThat(TokenCounter.forModel("gpt-4").count("hello world")).isEqualTo(2);
        assertThat(TokenCounter.forModel("claude-haiku-4-5").count("x".repeat(35))).isEqualTo(10);
        assertThat(TokenCounter.forModel("claude-haiku-4-5").count("x".repeat(36))).isEqualTo(11);
        assertThat(TokenCounter.forModel("gpt-4o").count("<|endoftext|>")).as("special tokens are plain text").isPositive();
    }
}
