package io.minutes.app.config;

import io.minutes.core.engine.RateLimits;
import io.minutes.core.port.CallAdmission;
import io.minutes.core.port.RateLimitObserver;
import io.minutes.core.port.Transcriber;
import io.minutes.providers.audio.Ffmpeg;

import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * The transcriber section: who turns recordings into transcripts (none, or a {@link Providers} entry that
 * transcribes) and its model, base URL, command, rate limit and upload limit.
 */
public record TranscriberSection(Config config, Optional<Providers.Provider> provider) {

    public static final Section SECTION = new Section("transcriber", List.of(Settings.TRANSCRIBER, Settings.TRANSCRIBER_MODEL,
            Settings.TRANSCRIBER_BASE_URL, Settings.TRANSCRIBER_COMMAND, Settings.TRANSCRIPTION_RPM, Settings.UPLOAD_LIMIT),
            TranscriberSection::check);

    public static TranscriberSection of(Config config) {
        String name = config.get(Settings.TRANSCRIBER);
        return new TranscriberSection(config,
                name.equals(Providers.NO_TRANSCRIBER) ? Optional.empty() : Optional.of(Providers.named(name)));
    }

    /**
     * The transcriber, wrapped in the converter/splitter that keeps each upload under upload-limit; empty for
     * transcriber=none. A setting that does not fit (no key for the official API, an empty or unknown command)
     * is a {@link ConfigException} naming it.
     */
    public Optional<Transcriber> transcriber(Map<String, String> env, RateLimitObserver observer, CallAdmission admission)
            throws ConfigException {
        if (provider.isEmpty()) return Optional.empty();
        return Optional.of(build(env, Ffmpeg.onPath(), observer, admission));
    }

    /** Refuses, naming the settings, a transcriber that could not work with the keys in {@code env}. Sends nothing. */
    public void check(Map<String, String> env) throws ConfigException {
        if (provider.isPresent()) build(env, Optional.empty(), RateLimitObserver.NONE, CallAdmission.NONE);
    }

    /**
     * The variable holding the transcriber's key: --api-key-env names the analyzer's key, and it is the
     * transcriber's too when both are the same provider. Null for a transcriber that takes none.
     */
    public String apiKeyEnv() {
        if (provider.isEmpty()) return null;
        Providers.Provider transcriber = provider.get();
        return transcriber.name().equals(config.get(Settings.PROVIDER))
                ? ProviderSection.of(config).apiKeyEnv() : transcriber.apiKeyEnv();
    }

    /** The transcription service's own limits, apart from the analyzer's: transcription-rpm. */
    public RateLimits rateLimits() {
        return new RateLimits(config.get(Settings.TRANSCRIPTION_RPM), 0, 0, 0);
    }

    /**
     * The name the transcription service's rate limits are kept under, apart from the analyzer's even when
     * both are the same provider (OpenAI limits each model on its own): "openai transcription".
     */
    public String throttleName() {
        return config.get(Settings.TRANSCRIBER) + " transcription";
    }

    private Transcriber build(Map<String, String> env, Optional<Ffmpeg> ffmpeg, RateLimitObserver observer,
                              CallAdmission admission) throws ConfigException {
        String keyEnv = apiKeyEnv();
        String key = keyEnv == null ? null : env.get(keyEnv);
        if (key != null && key.isBlank()) key = null;
        return provider.orElseThrow().transcriber().create(new Providers.TranscriberParts(config, keyEnv, key, ffmpeg, observer, admission));
    }

    /** A transcriber that needs no key (a local command) is checked without the environment. */
    private static void check(Config config, List<String> problems) {
        TranscriberSection section = of(config);
        if (section.provider().isEmpty() || section.provider().get().remote()) return;
        try {
            section.check(Map.of());
        } catch (ConfigException e) {
            problems.addAll(e.problems());
        }
    }
}
