package io.minutes.app.config;

import io.minutes.core.analysis.LocalAnalyzer;
import io.minutes.core.domain.MediaFormat;
import io.minutes.core.port.Analyzer;
import io.minutes.core.port.CallAdmission;
import io.minutes.core.port.RateLimitObserver;
import io.minutes.core.port.Transcriber;
import io.minutes.providers.ProviderAnalyzers;
import io.minutes.providers.audio.AudioTranscriber;
import io.minutes.providers.audio.Ffmpeg;
import io.minutes.providers.command.CommandTranscriber;
import io.minutes.providers.http.ProviderHttp;
import io.minutes.providers.openai.OpenAiChat;
import io.minutes.providers.openai.OpenAiTranscriber;
import io.minutes.providers.sim.SimAnalyzer;

import java.time.Clock;
import java.time.Duration;
import java.util.EnumSet;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.function.Predicate;
import java.util.stream.Collectors;

/**
 * Every provider Minutes can send a meeting to, one entry each. The provider and transcriber settings'
 * names and help, the defaults of model, base-url and api-key-env, the API-key check, the default of
 * allow-sensitive and the sensitive tier's names all read this list: adding a provider is its adapter
 * class (in minutes-providers) and one entry in {@link #ALL}.
 */
public final class Providers {
    private Providers() {
    }

    /** Builds a provider's analyzer from the resolved configuration. */
    @FunctionalInterface
    public interface AnalyzerFactory {
        Analyzer create(AnalyzerParts parts);
    }

    /**
     * What an analyzer is built from. {@code remote}: the base URL, model, key and limits of a provider
     * reached over HTTP ({@link Provider#remote()}), checked already; null for one that is not.
     */
    public record AnalyzerParts(Config config, ProviderAnalyzers.Common remote, RateLimitObserver observer,
                                CallAdmission admission) {
    }

    /** Builds a provider's transcriber; a setting that does not fit is a {@link ConfigException} naming it. */
    @FunctionalInterface
    public interface TranscriberFactory {
        Transcriber create(TranscriberParts parts) throws ConfigException;
    }

    /**
     * What a transcriber is built from. {@code apiKeyEnv} is the variable holding its key ({@code apiKey},
     * null when unset or blank); {@code ffmpeg} converts and splits recordings when it is installed.
     */
    public record TranscriberParts(Config config, String apiKeyEnv, String apiKey, Optional<Ffmpeg> ffmpeg,
                                   RateLimitObserver observer, CallAdmission admission) {
    }

    /**
     * One provider.
     *
     * @param name             its name in the provider, transcriber and allow-sensitive settings
     * @param local            whether a meeting stays on this machine; the local ones may receive sensitive
     *                         meetings by default
     * @param defaultModel     the model when model is auto; null for a provider that is not reached over HTTP
     * @param baseUrl          the official API, the base URL when base-url is auto; null likewise
     * @param apiKeyEnv        the variable holding its API key when api-key-env is auto; null likewise
     * @param keylessServers   servers that need no key, as the missing-key message suggests them
     * @param analyzerHelp     what its analyzer is, for the provider setting's help; null when it has none
     * @param analyzer         builds its analyzer; null when it has none
     * @param transcriberHelp  what its transcriber is, for the transcriber setting's help; null when it has none
     * @param transcriber      builds its transcriber; null when it has none
     */
    public record Provider(String name, boolean local, String defaultModel, String baseUrl, String apiKeyEnv,
                           String keylessServers, String analyzerHelp, AnalyzerFactory analyzer,
                           String transcriberHelp, TranscriberFactory transcriber) {

        /** Reached over HTTP, with a model, a base URL and (on the official API) a key. */
        public boolean remote() {
            return baseUrl != null;
        }

        public boolean analyzes() {
            return analyzer != null;
        }

        public boolean transcribes() {
            return transcriber != null;
        }
    }

    /** transcriber=none: no transcriber, a recording fails saying how to set one. */
    public static final String NO_TRANSCRIBER = "none";

    /** Sending 25 MB and transcribing it takes longer than a chat answer: request-timeout, but at least this. */
    private static final Duration MIN_TRANSCRIPTION_TIMEOUT = Duration.ofMinutes(10);
    private static final Duration COMMAND_TIMEOUT = Duration.ofHours(2);
    private static final EnumSet<MediaFormat> VIDEO = EnumSet.of(MediaFormat.WEBM, MediaFormat.MP4, MediaFormat.MOV, MediaFormat.MKV);

    public static final Provider LOCAL = new Provider(LocalAnalyzer.NAME, true, null, null, null, null,
            "built-in offline analyzer", parts -> new LocalAnalyzer(), null, null);

    public static final Provider SIM = new Provider("sim", false, null, null, null, null,
            "simulated remote provider for tests and benchmarks",
            parts -> new SimAnalyzer(SimSection.settings(parts.config()), parts.observer()), null, null);

    public static final Provider OPENAI = new Provider(ProviderAnalyzers.OPENAI, false,
            ProviderAnalyzers.OPENAI_DEFAULT_MODEL, ProviderAnalyzers.OPENAI_BASE_URL, "OPENAI_API_KEY",
            "Ollama, vLLM, LM Studio",
            "any OpenAI-compatible Chat Completions API: OpenAI, Azure OpenAI, Ollama, vLLM, LM Studio, LiteLLM",
            Providers::openAiAnalyzer,
            "an OpenAI-compatible /audio/transcriptions endpoint", Providers::openAiTranscriber);

    public static final Provider ANTHROPIC = new Provider(ProviderAnalyzers.ANTHROPIC, false,
            ProviderAnalyzers.ANTHROPIC_DEFAULT_MODEL, ProviderAnalyzers.ANTHROPIC_BASE_URL, "ANTHROPIC_API_KEY",
            "a gateway that adds the key itself", "the Messages API",
            parts -> ProviderAnalyzers.anthropic(parts.remote(), parts.admission()), null, null);

    public static final Provider COMMAND = new Provider("command", true, null, null, null, null, null, null,
            "a local program, see transcriber-command", Providers::commandTranscriber);

    /** In the order the settings' help lists them. */
    public static final List<Provider> ALL = List.of(LOCAL, SIM, OPENAI, ANTHROPIC, COMMAND);

    /** The provider of that name (a value the provider or transcriber setting accepted). */
    public static Provider named(String name) {
        return ALL.stream().filter(p -> p.name().equals(name)).findFirst()
                .orElseThrow(() -> new IllegalArgumentException("no provider is named '" + name + "'"));
    }

    public static List<Provider> analyzers() {
        return ALL.stream().filter(Provider::analyzes).toList();
    }

    public static List<Provider> transcribers() {
        return ALL.stream().filter(Provider::transcribes).toList();
    }

    public static List<Provider> remote() {
        return ALL.stream().filter(Provider::remote).toList();
    }

    /** "openai/anthropic": the providers a setting of remote providers applies to, as its help starts. */
    static String remoteNames() {
        return remote().stream().map(Provider::name).collect(Collectors.joining("/"));
    }

    /** "a (x), b (y) or c (z)" over the providers that {@code include}. */
    static String listed(Predicate<Provider> include, java.util.function.Function<Provider, String> text) {
        List<String> items = ALL.stream().filter(include).map(text).toList();
        if (items.size() < 2) return String.join("", items);
        return String.join(", ", items.subList(0, items.size() - 1)) + " or " + items.getLast();
    }

    /** The default of allow-sensitive: the providers that keep a meeting on this machine. */
    static String localNames() {
        return ALL.stream().filter(Provider::local).map(Provider::name).collect(Collectors.joining(","));
    }

    private static Analyzer openAiAnalyzer(AnalyzerParts parts) {
        OpenAiChat.StructuredOutput mode = OpenAiChat.StructuredOutput.valueOf(
                parts.config().get(Settings.STRUCTURED_OUTPUT).toUpperCase(Locale.ROOT));
        if (!LaneSection.of(parts.config()).flexOffered()) return ProviderAnalyzers.openAi(parts.remote(), mode, parts.admission());
        return ProviderAnalyzers.openAiWithFlex(parts.remote(), mode, parts.admission());
    }

    private static Transcriber openAiTranscriber(TranscriberParts parts) throws ConfigException {
        Config config = parts.config();
        String model = config.get(Settings.TRANSCRIBER_MODEL);
        String baseUrl = config.get(Settings.TRANSCRIBER_BASE_URL);
        if (baseUrl.equals(Settings.AUTO)) baseUrl = OPENAI.baseUrl();
        if (parts.apiKey() == null && baseUrl.equals(OPENAI.baseUrl())) {
            throw new ConfigException(List.of("transcriber openai needs an API key for " + baseUrl + ": set " + parts.apiKeyEnv()
                    + ", or give --transcriber-base-url for a server that needs none (faster-whisper, vLLM)"));
        }
        Duration request = config.get(Settings.REQUEST_TIMEOUT);
        if (request.compareTo(MIN_TRANSCRIPTION_TIMEOUT) < 0) request = MIN_TRANSCRIPTION_TIMEOUT;
        ProviderHttp http = new ProviderHttp(TranscriberSection.of(config).throttleName(), parts.apiKey(),
                "set " + parts.apiKeyEnv() + " to a valid key", new ProviderHttp.Timeouts(config.get(Settings.CONNECT_TIMEOUT), request),
                parts.observer(), Clock.systemUTC());
        return new AudioTranscriber(OPENAI.name(), new OpenAiTranscriber(http, baseUrl, model, parts.apiKey(), config.get(Settings.PRICES)),
                parts.ffmpeg(), config.get(Settings.UPLOAD_LIMIT), OpenAiTranscriber.maxSecondsFor(model), OpenAiTranscriber.ACCEPTED,
                parts.admission());
    }

    private static Transcriber commandTranscriber(TranscriberParts parts) throws ConfigException {
        String template = parts.config().get(Settings.TRANSCRIBER_COMMAND);
        if (template.isBlank()) {
            throw new ConfigException(List.of("setting 'transcriber' is command but 'transcriber-command' is empty: give the "
                    + "program to run, e.g. --transcriber-command 'whisper-cli -m ggml-base.bin -f {wav} -oj -of {output}'"));
        }
        CommandTranscriber command;
        try {
            command = new CommandTranscriber(template, parts.ffmpeg(), COMMAND_TIMEOUT);
        } catch (IllegalArgumentException e) {
            throw new ConfigException(List.of("setting 'transcriber-command': " + e.getMessage()));
        }
        return new AudioTranscriber(COMMAND.name(), command, parts.ffmpeg(), Long.MAX_VALUE, Double.POSITIVE_INFINITY,
                EnumSet.complementOf(VIDEO), parts.admission());
    }
}
