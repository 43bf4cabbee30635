package io.minutes.store.sqlite;

import io.minutes.core.engine.InProcessStoreEvents;
import io.minutes.core.port.BlobStore;
import io.minutes.core.port.MeetingStore;
import io.minutes.store.RetentionContract;
import io.minutes.store.blob.FolderBlobStore;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;

/** Retention on SQLite, with recordings in a folder as run and serve keep them beside the database. */
class SqliteRetentionTest extends RetentionContract {

    @TempDir
    Path dir;

    @Override
    protected MeetingStore newStore() {
        return SqliteMeetingStore.open(dir.resolve("minutes.db"), new InProcessStoreEvents());
    }

    @Override
    protected BlobStore newBlobStore() {
        return new FolderBlobStore(dir.resolve("blobs"));
    }
}
