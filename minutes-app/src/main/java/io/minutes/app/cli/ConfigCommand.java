package io.minutes.app.cli;

import io.minutes.app.Wiring;
import io.minutes.app.config.Config;
import io.minutes.app.config.Setting;
import io.minutes.app.config.Settings;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Spec;

import java.io.PrintWriter;
import java.util.List;
import java.util.concurrent.Callable;

/** Prints the effective configuration, where each value came from, secrets masked. */
@Command(name = "config", mixinStandardHelpOptions = true,
        description = "Print the effective configuration (flag > MINUTES_* environment > config file > default), secrets masked.")
public final class ConfigCommand implements Callable<Integer> {
    public static final List<Setting<?>> SETTINGS = Settings.ALL;

    @Spec
    CommandSpec spec;

    @Override
    public Integer call() {
        PrintWriter out = spec.commandLine().getOut();
        Config config = SettingOptions.resolveOrExplain(spec, SETTINGS).orElse(null);
        if (config == null) return ExitStatus.USAGE;
        int width = SETTINGS.stream().mapToInt(s -> s.key().length()).max().orElse(10);
        for (Setting<?> s : SETTINGS) {
            Config.Value v = config.describe(s);
            String shown = s.secret() ? Secrets.mask(v.raw()) : v.raw();
            out.printf("%-" + width + "s = %-28s (%s)%n", s.key(), shown, v.source());
        }
        String env = Wiring.apiKeyEnv(config);
        if (env != null) {
            String key = System.getenv(env);
            out.printf("%-" + width + "s = %-28s (%s)%n", "api key", key == null || key.isBlank() ? "(not set)" : "****", env);
        }
        out.flush();
        return ExitStatus.OK;
    }
}
