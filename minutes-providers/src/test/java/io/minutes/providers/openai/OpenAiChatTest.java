package io.minutes.providers.openai;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

class OpenAiChatTest {

    @Test
    void endpointsKeepThePathAndTheQueryOfTheBaseUrl() {
        assertThat(OpenAiChat.endpoint("https://api.openai.com/v1", "/chat/completions"))
                .hasToString("https://api.openai.com/v1/chat/completions");
        assertThat(OpenAiChat.endpoint("http://127.0.0.1:11434/v1/", "/chat/completions"))
                .hasToString("http://127.0.0.1:11434/v1/chat/completions");
        assertThat(OpenAiChat.endpoint("https://res.openai.azure.com/openai/deployments/minutes?api-version=2024-10-21", "/chat/completions"))
                .hasToString("https://res.openai.azure.com/openai/deployments/minutes/chat/completions?api-version=2024-10-21");
    }

    @Test
    void newerModelsTakeMaxCompletionTokens() {
        assertThat(OpenAiChat.usesCompletionTokens("gpt-5-mini")).isTrue();
        assertThat(OpenAiChat.usesCompletionTokens("o3")).isTrue();
        assertThat(OpenAiChat.usesCompletionTokens("o4-mini-2025-04-16")).isTrue();
        assertThat(OpenAiChat.usesCompletionTokens("gpt-4o-mini")).isFalse();
        assertThat(OpenAiChat.usesCompletionTokens("llama3.1")).isFalse();
    }

    @Test
    void answersInACodeFenceAreRead() {
        assertThat(OpenAiChat.json("```json\n{\"a\": 1}\n```").get("a").asInt()).isEqualTo(1);
        assertThat(OpenAiChat.json("Sure! Here you go")).isNull();
    }
}
