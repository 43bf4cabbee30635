package io.minutes.app.cli;

import io.minutes.app.Main;
import io.minutes.app.StoreBackend;
import io.minutes.app.Wiring;
import io.minutes.app.config.Config;
import io.minutes.app.config.Setting;
import io.minutes.app.config.Settings;
import io.minutes.core.port.MeetingStore;
import io.minutes.server.ApiKeys;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

import java.time.Clock;
import java.util.List;

/** {@code minutes keys create --tenant NAME}: an API key for {@code minutes serve}, printed once. */
@Command(name = "keys", mixinStandardHelpOptions = true,
        description = "API keys for minutes serve. With at least one key, every /api request needs 'Authorization: Bearer KEY' "
                + "and sees only its tenant's batches.",
        subcommands = {KeysCommand.Create.class})
public final class KeysCommand {
    public static final List<Setting<?>> SETTINGS = List.of(Settings.CONFIG, Settings.DB, Settings.LOG_LEVEL);

    @Command(name = "create", mixinStandardHelpOptions = true,
            description = "Make a key for a tenant and print it once; only its SHA-256 is stored (in --db).")
    public static final class Create implements java.util.concurrent.Callable<Integer> {
        @Spec
        CommandSpec spec;

        @Option(names = "--tenant", required = true, paramLabel = "NAME", description = "Whose key it is: a tenant sees only its own batches.")
        String tenant;

        @Override
        public Integer call() {
            Config config = SettingOptions.resolveOrExplain(spec, SETTINGS).orElse(null);
            if (config == null) return Main.EXIT_USAGE;
            if (!tenant.matches("[A-Za-z0-9._-]{1,64}")) {
                spec.commandLine().getErr().println("minutes: --tenant must be 1 to 64 letters, digits, '.', '_' or '-', got '" + tenant + "'");
                return Main.EXIT_USAGE;
            }
            String key = ApiKeys.generate();
            try (StoreBackend backend = Wiring.backend(config)) {
                backend.store().apiKeyCreate(new MeetingStore.ApiKeyCreateParams(tenant, ApiKeys.hash(key), Clock.systemUTC().instant()));
            }
            System.out.println(key);
            System.err.println("API key for tenant '" + tenant + "' (shown only this once; keep it secret). "
                    + "A running 'minutes serve' on this database requires keys within a few seconds.");
            return Main.EXIT_OK;
        }
    }
}
