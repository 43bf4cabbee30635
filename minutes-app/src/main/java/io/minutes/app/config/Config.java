package io.minutes.app.config;

import java.io.IOException;
import java.io.Reader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;

/**
 * The effective configuration: for each setting the first of flag, environment variable, config
 * file key and default. Built with {@link #resolve}, which validates every setting at once, then the
 * settings of each {@link Section} together, and reports all problems, each naming the setting and where
 * its value came from.
 */
public final class Config {

    public record Value(Object value, String raw, String source) {
    }

    private final Map<String, Value> values;

    private Config(Map<String, Value> values) {
        this.values = values;
    }

    @SuppressWarnings("unchecked")
    public <T> T get(Setting<T> setting) {
        Value v = values.get(setting.key());
        if (v == null) throw new IllegalStateException("setting " + setting.key() + " was not resolved");
        return (T) v.value();
    }

    /** Whether the setting was resolved (read, and valid alone). */
    boolean has(Setting<?> setting) {
        return values.containsKey(setting.key());
    }

    public Value describe(Setting<?> setting) {
        return values.get(setting.key());
    }

    /**
     * @param flags values given on the command line, by setting key
     * @param env   the process environment
     */
    public static Config resolve(List<Setting<?>> settings, Map<String, String> flags, Map<String, String> env)
            throws ConfigException {
        List<String> problems = new ArrayList<>();
        Map<String, String> file = new LinkedHashMap<>();
        String fileSource = readConfigFile(flags, env, file, problems);

        Map<String, Value> resolved = new LinkedHashMap<>();
        for (Setting<?> setting : settings) {
            String raw;
            String source;
            if (flags.containsKey(setting.key())) {
                raw = flags.get(setting.key());
                source = setting.flag();
            } else if (env.containsKey(setting.envVar())) {
                raw = env.get(setting.envVar());
                source = setting.envVar();
            } else if (file.containsKey(setting.key())) {
                raw = file.get(setting.key());
                source = fileSource;
            } else {
                raw = setting.defaultText();
                source = "default";
            }
            try {
                resolved.put(setting.key(), new Value(setting.parse(raw), raw, source));
            } catch (IllegalArgumentException e) {
                problems.add("setting '" + setting.key() + "' (" + source + "): " + e.getMessage());
            }
        }
        Config config = new Config(resolved);
        Sections.checkTogether(config, problems);
        for (String key : file.keySet()) {
            if (Settings.ALL.stream().noneMatch(s -> s.key().equals(key))) {
                problems.add(fileSource + ": unknown setting '" + key + "' (see 'minutes config' for the list)");
            }
        }
        if (!problems.isEmpty()) throw new ConfigException(problems);
        return config;
    }

    /** Reads the config file named by --config / MINUTES_CONFIG, or ./minutes.properties when present. */
    private static String readConfigFile(Map<String, String> flags, Map<String, String> env,
                                         Map<String, String> into, List<String> problems) {
        Setting<Path> setting = Settings.CONFIG;
        boolean named = flags.containsKey(setting.key()) || env.containsKey(setting.envVar());
        Path path = Path.of(flags.getOrDefault(setting.key(), env.getOrDefault(setting.envVar(), setting.defaultText())));
        if (!Files.exists(path)) {
            if (named) problems.add("setting 'config': file " + path + " does not exist");
            return path.toString();
        }
        Properties props = new Properties();
        try (Reader reader = Files.newBufferedReader(path, StandardCharsets.UTF_8)) {
            props.load(reader);
        } catch (IOException | IllegalArgumentException e) {
            problems.add("setting 'config': cannot read " + path + ": " + e.getMessage());
        }
        for (String key : props.stringPropertyNames()) into.put(key.strip(), props.getProperty(key));
        return path.toString();
    }
}
