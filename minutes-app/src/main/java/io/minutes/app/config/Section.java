package io.minutes.app.config;

import java.util.List;

/**
 * A group of settings one part of Minutes reads together (retry, provider, transcriber, sim, serve, engine...),
 * with the check of those that must agree with each other. Its typed reader (e.g. {@link RetrySection})
 * builds the engine object from them. {@link Config#resolve} runs the check of every section whose settings
 * it resolved, once each is valid alone, so a bad combination is refused before anything is opened or stored.
 *
 * @param name     what the section is about, e.g. retry
 * @param settings the settings it reads, in the order of {@link Settings#ALL}
 * @param check    adds a problem for each combination that does not fit, naming the settings and their sources
 */
public record Section(String name, List<Setting<?>> settings, Check check) {

    @FunctionalInterface
    public interface Check {
        Check NONE = (config, problems) -> {
        };

        void check(Config config, List<String> problems);
    }

    public Section {
        settings = List.copyOf(settings);
    }

    /** A section whose settings are each checked alone only. */
    static Section of(String name, Setting<?>... settings) {
        return new Section(name, List.of(settings), Check.NONE);
    }

    /** "setting 'lease' (--lease): " as a problem about one of the section's settings starts. */
    static String named(Config config, Setting<?> setting) {
        return "setting '" + setting.key() + "' (" + config.describe(setting).source() + "): ";
    }
}
