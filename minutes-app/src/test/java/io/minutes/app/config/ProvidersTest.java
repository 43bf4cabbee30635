package io.minutes.app.config;

import io.minutes.app.Wiring;
import org.junit.jupiter.api.Test;

import java.util.Map;
import java.util.Set;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** The provider registry is what the settings accept, list and default to. */
class ProvidersTest {

    @Test
    void theProviderSettingAcceptsEveryAnalyzerOfTheRegistryAndNoOther() throws Exception {
        for (Providers.Provider p : Providers.analyzers()) {
            Config config = Config.resolve(Settings.ALL, Map.of("provider", p.name(), "base-url", "http://127.0.0.1:1/v1"), Map.of());
            assertThat(Wiring.analyzer(config, Map.of()).name()).isEqualTo(p.name());
            assertThat(Settings.PROVIDER.description()).contains(p.name() + " (" + p.analyzerHelp() + ")");
        }
        assertThatThrownBy(() -> Config.resolve(Settings.ALL, Map.of("provider", "command"), Map.of()))
                .hasMessageContaining("setting 'provider' (--provider): must be one of local, sim, openai, anthropic");
    }

    @Test
    void aRemoteProvidersModelKeyAndUrlDefaultsComeFromItsEntry() throws Exception {
        Config anthropic = Config.resolve(Settings.ALL, Map.of("provider", "anthropic"), Map.of());
        assertThat(Wiring.model(anthropic)).isEqualTo(Providers.ANTHROPIC.defaultModel());
        assertThat(Wiring.apiKeyEnv(anthropic)).isEqualTo("ANTHROPIC_API_KEY");
        Config local = Config.resolve(Settings.ALL, Map.of(), Map.of());
        assertThat(Wiring.model(local)).isEqualTo("local");
        assertThat(Wiring.apiKeyEnv(local)).isNull();
        assertThat(Wiring.apiKeyVariables(Config.resolve(Settings.ALL, Map.of("transcriber", "openai"), Map.of())))
                .containsExactly("OPENAI_API_KEY");
    }

    @Test
    void theSensitiveTierComparesTheConfiguredProviderNamesNotDisplayNames() throws Exception {
        assertThat(Settings.ALLOW_SENSITIVE.defaultText()).isEqualTo("local,command");
        Config config = Config.resolve(Settings.ALL, Map.of("provider", "sim", "transcriber", "command",
                "transcriber-command", "whisper-cli -f {wav}", "allow-sensitive", "sim,command"), Map.of());
        assertThat(Wiring.sensitiveTier(config)).isEqualTo(new io.minutes.core.engine.SensitiveTier(Set.of("sim", "command"), "sim", "command"));
    }
}
