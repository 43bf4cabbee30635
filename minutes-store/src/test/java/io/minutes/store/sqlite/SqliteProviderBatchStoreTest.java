package io.minutes.store.sqlite;

import io.minutes.core.engine.InProcessStoreEvents;
import io.minutes.core.port.MeetingStore;
import io.minutes.store.ProviderBatchStoreContract;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;

class SqliteProviderBatchStoreTest extends ProviderBatchStoreContract {

    @TempDir
    Path dir;

    private int opened;

    @Override
    protected MeetingStore newStore() {
        return SqliteMeetingStore.open(file(++opened), new InProcessStoreEvents());
    }

    /** Another connection on the same file, as a second process would open it. */
    @Override
    protected MeetingStore otherNode() {
        return SqliteMeetingStore.open(file(opened), new InProcessStoreEvents());
    }

    private Path file(int n) {
        return dir.resolve("store-" + n + "/minutes.db");
    }
}
