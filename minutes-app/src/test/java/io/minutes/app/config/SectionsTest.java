package io.minutes.app.config;

import io.minutes.core.engine.RetryPolicy;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class SectionsTest {

    private static Config resolve(Map<String, String> flags) throws ConfigException {
        return Config.resolve(Settings.ALL, flags, Map.of());
    }

    @Test
    void everySettingIsInExactlyOneSection() {
        List<Setting<?>> inSections = new ArrayList<>();
        Sections.ALL.forEach(s -> inSections.addAll(s.settings()));
        assertThat(inSections).containsExactlyInAnyOrderElementsOf(Settings.ALL);
    }

    @Test
    void aWorkerReadsTheEngineSectionsAndNoneOfABatchsInputsOrOutputs() {
        assertThat(Sections.settingsOf(Sections.WORKER)).contains(Settings.PROVIDER, Settings.LEASE, Settings.MAX_ATTEMPTS)
                .doesNotContain(Settings.OUT, Settings.TIER, Settings.BUDGET, Settings.MAX_TRANSCRIPT_BYTES, Settings.HOST);
        assertThat(Sections.settingsOf(Sections.RUN)).containsExactlyElementsOf(Settings.ALL.stream()
                .filter(s -> !ServeSection.SECTION.settings().contains(s) && s != Settings.SERVER).toList());
    }

    @Test
    void theRetrySectionBuildsThePolicyItsSettingsName() throws Exception {
        RetryPolicy policy = RetrySection.of(resolve(Map.of("max-attempts", "7", "retry-base-delay", "2s"))).policy();
        assertThat(policy.maxAttempts()).isEqualTo(7);
        assertThatThrownBy(() -> resolve(Map.of("retry-base-delay", "2m", "retry-max-delay", "30s")))
                .isInstanceOf(ConfigException.class)
                .hasMessageContaining("settings 'retry-max-delay' 30s (--retry-max-delay) and 'retry-base-delay' 2m (--retry-base-delay) disagree");
    }

    /** Broke: --lease 100ms passed the setting's parser and then crashed the run with a stack trace after the batch was stored. */
    @Test
    void aLeaseTooShortForHeartbeatsIsRefusedNamingTheSetting() throws Exception {
        assertThatThrownBy(() -> Config.resolve(Settings.ALL, Map.of(), Map.of("MINUTES_LEASE", "100ms")))
                .isInstanceOf(ConfigException.class)
                .hasMessage("setting 'lease' (MINUTES_LEASE): must be at least 300ms (heartbeats renew it), got '100ms'");
        assertThat(EngineSection.of(resolve(Map.of("lease", "300ms"))).settings().lease()).isEqualTo(Duration.ofMillis(300));
    }

    @Test
    void combinationsAreRefusedWhenTheConfigurationIsResolvedBeforeAnythingIsBuilt() {
        assertThatThrownBy(() -> resolve(Map.of("transcriber", "command")))
                .hasMessageContaining("setting 'transcriber' is command but 'transcriber-command' is empty");
        assertThatThrownBy(() -> resolve(Map.of("transcriber", "command", "transcriber-command", "whisper {nope}")))
                .hasMessageContaining("setting 'transcriber-command': unknown placeholder {nope}");
        assertThatThrownBy(() -> resolve(Map.of("provider", "anthropic", "context-tokens", "4000", "max-output-tokens", "4096")))
                .hasMessageContaining("settings 'context-tokens' and 'max-output-tokens'");
    }

    @Test
    void aCommandResolvingOnlySomeSectionsRunsOnlyTheirChecks() throws Exception {
        // keys reads the store and logging only: a bad retry combination in the environment is not its concern
        Config config = Config.resolve(List.of(Settings.CONFIG, Settings.DB, Settings.LOG_LEVEL), Map.of(),
                Map.of("MINUTES_RETRY_BASE_DELAY", "2m", "MINUTES_RETRY_MAX_DELAY", "1s"));
        assertThat(config.get(Settings.LOG_LEVEL)).isEqualTo("warn");
    }

    @Test
    void theProviderSectionChecksTheKeyWithoutBuildingAnAnalyzer() throws Exception {
        ProviderSection openai = ProviderSection.of(resolve(Map.of("provider", "openai")));
        assertThatThrownBy(() -> openai.check(Map.of())).isInstanceOf(ConfigException.class)
                .hasMessage("provider openai needs an API key for https://api.openai.com/v1: set OPENAI_API_KEY (or name another "
                        + "variable with --api-key-env), or give --base-url for a server that needs none (Ollama, vLLM, LM Studio)");
        openai.check(Map.of("OPENAI_API_KEY", "sk-x"));
        ProviderSection.of(resolve(Map.of("provider", "openai", "base-url", "http://127.0.0.1:11434/v1"))).check(Map.of());
    }

    @Test
    void checkKeysReportsTheProvidersAndTheTranscribersMissingKeysAtOnce() throws Exception {
        Config config = resolve(Map.of("provider", "anthropic", "transcriber", "openai"));
        assertThatThrownBy(() -> Sections.checkKeys(config, Map.of())).isInstanceOf(ConfigException.class)
                .satisfies(e -> assertThat(((ConfigException) e).problems()).hasSize(2))
                .hasMessageContaining("provider anthropic needs an API key").hasMessageContaining("set ANTHROPIC_API_KEY")
                .hasMessageContaining("transcriber openai needs an API key").hasMessageContaining("set OPENAI_API_KEY");
        Sections.checkKeys(config, Map.of("ANTHROPIC_API_KEY", "k1", "OPENAI_API_KEY", "k2"));
    }
}
