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
                    .description(wrap(help(s)))
                    .build());
        }
    }

    /** Where picocli starts the descriptions of options at the usage width of {@code Main}, and how wide they are. */
    static final int DESCRIPTION_WIDTH = 110 - 29;

    static String help(Setting<?> s) {
        String defaultText = s.defaultText().isEmpty() ? "not set" : s.defaultText();
        // picocli formats descriptions: a literal % (a default of 10%) must be written %%
        return (s.description() + " Default: " + defaultText + ". Env: " + s.envVar() + ".").replace("%", "%%");
    }

    /**
     * The text as lines broken at spaces only. Left to itself picocli also breaks after a dot or before a
     * slash, inside paths and host names ("./minutes-data/minutes.db", "api.anthropic.com").
     */
    static String[] wrap(String text) {
        List<String> lines = new java.util.ArrayList<>();
        StringBuilder line = new StringBuilder();
        for (String word : text.split(" ")) {
            String indent = lines.isEmpty() ? "" : "  "; // continuation lines indented as picocli indents them
            int width = DESCRIPTION_WIDTH - 1 - indent.length();
            if (!line.isEmpty() && line.length() + 1 + word.length() > width) {
                lines.add(line.toString());
                line.setLength(0);
                line.append("  ");
            }
            if (!line.isEmpty() && !line.toString().equals("  ")) line.append(' ');
            line.append(word);
        }
        if (!line.isEmpty()) lines.add(line.toString());
        return lines.toArray(String[]::new);
    }

    /** The configuration, or empty after telling the user on stderr what is wrong with it. */
    public static Optional<Config> resolveOrExplain(CommandSpec spec, List<Setting<?>> settings) {
        warnUnknownEnvironment(spec.commandLine().getErr(), System.getenv());
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

    /** Variables that start with MINUTES_ but are no setting's: a misspelling would otherwise be ignored in silence. */
    static void warnUnknownEnvironment(java.io.PrintWriter err, Map<String, String> env) {
        java.util.Set<String> known = new java.util.TreeSet<>(OTHER_VARIABLES);
        for (Setting<?> s : io.minutes.app.config.Settings.ALL) known.add(s.envVar());
        for (String name : new java.util.TreeSet<>(env.keySet())) {
            if (!name.startsWith("MINUTES_") || known.contains(name)) continue;
            err.println("minutes: warning: environment variable " + name + " is not a setting and is ignored"
                    + DidYouMean.closest(name, known).map(k -> "; did you mean " + k + "?").orElse(
                    " (run 'minutes config' for the list)"));
        }
        err.flush();
    }

    /** MINUTES_ variables that are not settings: the API key of submit and status. */
    private static final List<String> OTHER_VARIABLES = List.of("MINUTES_API_KEY");
}
