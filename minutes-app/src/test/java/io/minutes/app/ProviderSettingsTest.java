package io.minutes.app;

import io.minutes.app.config.Config;
import io.minutes.app.config.ConfigException;
import io.minutes.app.config.Settings;
import org.junit.jupiter.api.Test;

import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class ProviderSettingsTest {

    private static Config config(Map<String, String> flags) throws ConfigException {
        return Config.resolve(Settings.ALL, flags, Map.of());
    }

    @Test
    void theOfficialApiWithoutAKeyIsAStartUpErrorNamingTheVariable() throws Exception {
        assertThatThrownBy(() -> Wiring.analyzer(config(Map.of("provider", "openai")), Map.of()))
                .isInstanceOf(ConfigException.class).hasMessageContaining("OPENAI_API_KEY").hasMessageContaining("--api-key-env");
        assertThatThrownBy(() -> Wiring.analyzer(config(Map.of("provider", "anthropic", "api-key-env", "CLAUDE_KEY")), Map.of()))
                .isInstanceOf(ConfigException.class).hasMessageContaining("CLAUDE_KEY");
    }

    @Test
    void aLocalServerNeedsNoKeyAndAKeyIsReadFromTheNamedVariable() throws Exception {
        assertThat(Wiring.analyzer(config(Map.of("provider", "openai", "base-url", "http://127.0.0.1:11434/v1",
                "model", "llama3.1")), Map.of()).name()).isEqualTo("openai");
        assertThat(Wiring.analyzer(config(Map.of("provider", "anthropic", "api-key-env", "CLAUDE_KEY")),
                Map.of("CLAUDE_KEY", "sk-ant-x")).name()).isEqualTo("anthropic");
    }

    @Test
    void badProviderSettingsAreNamed() {
        assertThatThrownBy(() -> config(Map.of("prices", "gpt-4o=cheap")))
                .isInstanceOf(ConfigException.class).hasMessageContaining("setting 'prices' (--prices)")
                .hasMessageContaining("gpt-4o=cheap");
        assertThatThrownBy(() -> config(Map.of("base-url", "localhost:11434")))
                .hasMessageContaining("setting 'base-url'");
        assertThatThrownBy(() -> config(Map.of("request-timeout", "0s"))).hasMessageContaining("setting 'request-timeout'");
        assertThatThrownBy(() -> config(Map.of("context-tokens", "12"))).hasMessageContaining("setting 'context-tokens'");
    }

    @Test
    void aContextSmallerThanTheAnswerIsRefusedNamingBoth() {
        assertThatThrownBy(() -> Wiring.analyzer(config(Map.of("provider", "openai", "base-url", "http://127.0.0.1:1/v1",
                "context-tokens", "2000", "max-output-tokens", "4096")), Map.of()))
                .isInstanceOf(ConfigException.class).hasMessageContaining("context-tokens").hasMessageContaining("max-output-tokens");
    }

    @Test
    void aKeyGivenAsTheVariableNameIsRefusedWithoutEchoingIt() {
        assertThatThrownBy(() -> config(Map.of("api-key-env", "sk-proj-abc123-secret")))
                .hasMessageContaining("setting 'api-key-env'").hasMessageNotContaining("sk-proj-abc123-secret");
    }
}
