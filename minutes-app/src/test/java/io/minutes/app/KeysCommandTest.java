package io.minutes.app;

import io.minutes.app.cli.ExitStatus;
import io.minutes.core.engine.InProcessStoreEvents;
import io.minutes.core.port.MeetingStore;
import io.minutes.server.ApiKeys;
import io.minutes.store.sqlite.SqliteMeetingStore;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * {@code minutes keys list|revoke} as processes on a real SQLite file. Seen: keys could be created but
 * neither listed nor revoked, so once one existed the database needed keys forever.
 */
class KeysCommandTest {
    @TempDir
    Path work;

    private MinutesProcess.Finished minutes(String... args) throws Exception {
        List<String> all = new java.util.ArrayList<>(List.of(args));
        all.addAll(List.of("--db", "m.db"));
        return MinutesProcess.run(work, all.toArray(String[]::new));
    }

    @Test
    void keysCouldBeCreatedButNotListedOrRevoked() throws Exception {
        MinutesProcess.Finished none = minutes("keys", "list");
        assertThat(none.stdout()).as(none.stderr()).contains("No API keys");
        String acme = minutes("keys", "create", "--tenant", "acme").stdout().strip();
        String globex = minutes("keys", "create", "--tenant", "globex").stdout().strip();
        String acmeId = ApiKeys.hash(acme).substring(0, 12);
        String globexId = ApiKeys.hash(globex).substring(0, 12);

        MinutesProcess.Finished list = minutes("keys", "list");
        assertThat(list.exitCode()).as(list.stderr()).isZero();
        assertThat(list.stdout()).contains("ID", "TENANT").containsPattern(acmeId + " .* acme").containsPattern(globexId + " .* globex")
                .doesNotContain(acme, globex);

        MinutesProcess.Finished revoked = minutes("keys", "revoke", globexId.substring(0, 8));
        assertThat(revoked.exitCode()).as(revoked.stderr()).isZero();
        assertThat(revoked.stdout()).contains("Revoked API key " + globexId, "globex", "batches are kept",
                "minutes keys create --tenant globex");
        assertThat(minutes("keys", "list").stdout()).contains(acmeId).doesNotContain(globexId);
        try (MeetingStore store = SqliteMeetingStore.open(work.resolve("m.db"), new InProcessStoreEvents())) {
            assertThat(store.apiKeyTenant(ApiKeys.hash(globex))).isEmpty();
            assertThat(store.apiKeyTenant(ApiKeys.hash(acme))).contains("acme");
        }

        MinutesProcess.Finished unknown = minutes("keys", "revoke", globexId);
        assertThat(unknown.exitCode()).isEqualTo(ExitStatus.USAGE);
        assertThat(unknown.stderr()).contains("no API key with id " + globexId);
        MinutesProcess.Finished notAnId = minutes("keys", "revoke", "acme");
        assertThat(notAnId.exitCode()).isEqualTo(ExitStatus.USAGE);
        assertThat(notAnId.stderr()).contains("not a key id", "keys list");

        MinutesProcess.Finished last = minutes("keys", "revoke", acme);
        assertThat(last.exitCode()).as("the last key opens the service: refused unless asked for").isEqualTo(ExitStatus.USAGE);
        assertThat(last.stderr()).contains("last API key", "--allow-no-keys");
        MinutesProcess.Finished forced = minutes("keys", "revoke", "--allow-no-keys", acme);
        assertThat(forced.exitCode()).as(forced.stderr()).isZero();
        assertThat(minutes("keys", "list").stdout()).contains("No API keys");
    }
}
