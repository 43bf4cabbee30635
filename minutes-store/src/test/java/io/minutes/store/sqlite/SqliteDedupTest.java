package io.minutes.store.sqlite;

import io.minutes.core.engine.InProcessStoreEvents;
import io.minutes.core.port.MeetingStore;
import io.minutes.store.DedupContract;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;

class SqliteDedupTest extends DedupContract {

    @TempDir
    Path dir;

    private int opened;

    @Override
    protected MeetingStore newStore() {
        return SqliteMeetingStore.open(dir.resolve("store-" + (opened++) + "/minutes.db"), new InProcessStoreEvents());
    }
}
