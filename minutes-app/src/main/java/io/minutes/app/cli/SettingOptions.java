package io.minutes.app.cli;

import io.minutes.app.config.Config;
import io.minutes.app.config.ConfigException;
import io.minutes.app.config.Setting;
import picocli.CommandLine;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Model.OptionSpec;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/** Turns settings into picocli options, and the parsed options back into a {@link Config}. */
public final class SettingOptions {
    private SettingOptions() {
    }

    public static void addTo(CommandLine command, List<Setting<?>> settings) {
        CommandSpec spec = command.getCommandSpec();
        for (Setting<?> s : settings) {
            OptionSpec.Builder option = OptionSpec.builder(s.flag());
            if (s.label().equals("BOOL")) option.arity("0..1").fallbackValue("true"); // --redact alone is --redact true
            spec.addOption(option
                    .paramLabel(s.label())
                    .type(String.class)
                    .description(s.description() + " Default: " + s.defaultText() + ". Env: " + s.envVar() + ".")
                    .build());
        }
    }

    /** The configuration, or empty after telling the user on stderr what is wrong with it. */
    public static Optional<Config> resolveOrExplain(CommandSpec spec, List<Setting<?>> settings) {
        try {
            return Optional.of(resolve(spec, settings));
        } catch (ConfigException e) {
            ConfigErrors.print(spec.commandLine().getErr(), e);
            return Optional.empty();
        }
    }

    public static Config resolve(CommandSpec spec, List<Setting<?>> settings) throws ConfigException {
        Map<String, String> flags = new LinkedHashMap<>();
        for (Setting<?> s : settings) {
            OptionSpec option = spec.findOption(s.flag());
            if (option != null && spec.commandLine().getParseResult().hasMatchedOption(option)) {
                flags.put(s.key(), option.getValue());
            }
        }
        return Config.resolve(settings, flags, System.getenv());
    }
}
