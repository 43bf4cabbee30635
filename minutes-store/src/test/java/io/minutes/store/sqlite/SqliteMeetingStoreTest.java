package io.minutes.store.sqlite;

import io.minutes.core.port.MeetingStore;
import io.minutes.core.port.StoreEvents;
import io.minutes.store.MeetingStoreContract;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;

class SqliteMeetingStoreTest extends MeetingStoreContract {

    @TempDir
    Path dir;

    private int opened;

    @Override
    protected MeetingStore newStore(StoreEvents events) {
        return SqliteMeetingStore.open(dir.resolve("store-" + (opened++) + "/minutes.db"), events);
    }
}
