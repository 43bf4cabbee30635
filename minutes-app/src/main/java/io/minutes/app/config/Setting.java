package io.minutes.app.config;

import java.util.Locale;
import java.util.function.Function;

/**
 * One setting, reachable three ways: the flag {@code --key}, the environment variable
 * {@code MINUTES_KEY} (upper snake case) and the key {@code key} in the config file. The value is
 * parsed (and validated) by {@code parser}, which throws {@link IllegalArgumentException} with a
 * message saying what is expected.
 */
public record Setting<T>(String key, String label, String description, String defaultText,
                         Function<String, T> parser, boolean secret) {

    public String flag() {
        return "--" + key;
    }

    public String envVar() {
        return "MINUTES_" + key.toUpperCase(Locale.ROOT).replace('-', '_');
    }

    public T parse(String raw) {
        return parser.apply(raw.strip());
    }
}
