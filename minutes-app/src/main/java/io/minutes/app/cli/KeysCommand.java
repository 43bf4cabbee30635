package io.minutes.app.cli;

import io.minutes.app.StoreBackend;
import io.minutes.app.Wiring;
import io.minutes.app.config.Config;
import io.minutes.app.config.Setting;
import io.minutes.app.config.Settings;
import io.minutes.core.port.ApiKeyStore;
import io.minutes.server.ApiKeys;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

import java.time.Clock;
import java.util.List;

/**
 * {@code minutes keys create --tenant NAME}: an API key for {@code minutes serve}, printed once;
 * {@code keys list} shows each key's id (the start of its hash), tenant and age; {@code keys revoke ID}
 * removes one. A tenant's batches stay whatever becomes of its keys.
 */
@Command(name = "keys", mixinStandardHelpOptions = true,
        description = "API keys for minutes serve. With at least one key, every /api request needs 'Authorization: Bearer KEY' "
                + "and sees only its tenant's batches.",
        subcommands = {KeysCommand.Create.class, KeysCommand.ListKeys.class, KeysCommand.Revoke.class})
public final class KeysCommand {
    public static final List<Setting<?>> SETTINGS = List.of(Settings.CONFIG, Settings.DB, Settings.LOG_LEVEL);
    /** How many hex digits of a key's hash name it in list and revoke: enough to tell keys apart, nothing to guess the key from. */
    static final int ID_LENGTH = 12;
    private static final int MIN_ID_LENGTH = 8;

    static String id(String keyHash) {
        return keyHash.substring(0, Math.min(ID_LENGTH, keyHash.length()));
    }

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
            if (config == null) return ExitStatus.USAGE;
            if (!tenant.matches("[A-Za-z0-9._-]{1,64}")) {
                spec.commandLine().getErr().println("minutes: --tenant must be 1 to 64 letters, digits, '.', '_' or '-', got '" + tenant + "'");
                return ExitStatus.USAGE;
            }
            String key = ApiKeys.generate();
            try (StoreBackend backend = Wiring.backend(config)) {
                backend.store().apiKeyCreate(new ApiKeyStore.ApiKeyCreateParams(tenant, ApiKeys.hash(key), Clock.systemUTC().instant()));
            }
            System.out.println(key);
            System.err.println("API key " + id(ApiKeys.hash(key)) + " for tenant '" + tenant + "' (shown only this once; keep it secret). "
                    + "A running 'minutes serve' on this database requires keys within a few seconds.");
            return ExitStatus.OK;
        }
    }

    @Command(name = "list", mixinStandardHelpOptions = true,
            description = "List the API keys in --db: id, tenant and when each was made (the keys themselves are not stored).")
    public static final class ListKeys implements java.util.concurrent.Callable<Integer> {
        @Spec
        CommandSpec spec;

        @Override
        public Integer call() {
            Config config = SettingOptions.resolveOrExplain(spec, SETTINGS).orElse(null);
            if (config == null) return ExitStatus.USAGE;
            List<ApiKeyStore.ApiKey> keys;
            try (StoreBackend backend = Wiring.backend(config)) {
                keys = backend.store().apiKeysList();
            }
            if (keys.isEmpty()) {
                System.out.println("No API keys: 'minutes serve' on this database answers without one (loopback only). "
                        + "Make one with 'minutes keys create --tenant NAME'.");
                return ExitStatus.OK;
            }
            System.out.printf("%-" + ID_LENGTH + "s  %-24s  %s%n", "ID", "CREATED (UTC)", "TENANT");
            java.time.format.DateTimeFormatter when = java.time.format.DateTimeFormatter.ofPattern("yyyy-MM-dd HH:mm:ss")
                    .withZone(java.time.ZoneOffset.UTC);
            for (ApiKeyStore.ApiKey key : keys) {
                System.out.printf("%-" + ID_LENGTH + "s  %-24s  %s%n", id(key.keyHash()), when.format(key.createdAt()), key.tenant());
            }
            return ExitStatus.OK;
        }
    }

    @Command(name = "revoke", mixinStandardHelpOptions = true,
            description = "Remove an API key: requests with it are refused (401) from then on. The tenant's batches "
                    + "stay, for its other keys and for any key made later for the same tenant.")
    public static final class Revoke implements java.util.concurrent.Callable<Integer> {
        @Spec
        CommandSpec spec;

        @picocli.CommandLine.Parameters(paramLabel = "ID", description = "The key's id as 'minutes keys list' shows it (at least "
                + MIN_ID_LENGTH + " characters of it), or the key itself.")
        String id;

        @Option(names = "--allow-no-keys", description = "Revoke even the last key, though 'minutes serve' then answers anyone "
                + "who reaches it (it binds loopback only when started without keys). Default: false.")
        boolean allowNoKeys;

        @Override
        public Integer call() {
            Config config = SettingOptions.resolveOrExplain(spec, SETTINGS).orElse(null);
            if (config == null) return ExitStatus.USAGE;
            var err = spec.commandLine().getErr();
            String wanted = id.strip();
            boolean isKey = wanted.startsWith(ApiKeys.PREFIX);
            if (!isKey && !wanted.matches("[0-9a-fA-F]{" + MIN_ID_LENGTH + ",64}")) {
                err.println("minutes: '" + id + "' is not a key id: give the ID column of 'minutes keys list' (at least "
                        + MIN_ID_LENGTH + " hex digits) or the key itself (" + ApiKeys.PREFIX + "...)");
                return ExitStatus.USAGE;
            }
            try (StoreBackend backend = Wiring.backend(config)) {
                ApiKeyStore store = backend.store();
                List<ApiKeyStore.ApiKey> keys = store.apiKeysList();
                String hash = isKey ? ApiKeys.hash(wanted) : null;
                List<ApiKeyStore.ApiKey> matching = keys.stream()
                        .filter(k -> isKey ? k.keyHash().equals(hash) : k.keyHash().startsWith(wanted.toLowerCase(java.util.Locale.ROOT)))
                        .toList();
                if (matching.isEmpty()) {
                    err.println("minutes: no API key " + (isKey ? "like that" : "with id " + wanted) + " in this database"
                            + " ('minutes keys list' shows " + keys.size() + ")");
                    return ExitStatus.USAGE;
                }
                if (matching.size() > 1) {
                    err.println("minutes: " + matching.size() + " keys have ids starting with " + wanted + ": give more of the id");
                    return ExitStatus.USAGE;
                }
                ApiKeyStore.ApiKey key = matching.getFirst();
                if (keys.size() == 1 && !allowNoKeys) {
                    err.println("minutes: " + id(key.keyHash()) + " is the last API key: without keys, a running 'minutes serve' on "
                            + "this database answers anyone who reaches it. Create another key first, or pass --allow-no-keys.");
                    return ExitStatus.USAGE;
                }
                store.apiKeyRevoke(new ApiKeyStore.ApiKeyRevokeParams(key.keyHash()));
                long left = keys.stream().filter(k -> k.tenant().equals(key.tenant())).count() - 1;
                System.out.println("Revoked API key " + id(key.keyHash()) + " of tenant '" + key.tenant() + "'. A running 'minutes serve' "
                        + "refuses it from its next request. The tenant's batches are kept; " + (left > 0
                        ? "its other " + left + " key(s) still reach them."
                        : "it has no key left: 'minutes keys create --tenant " + key.tenant() + "' makes one that reaches them again."));
            }
            return ExitStatus.OK;
        }
    }
}
