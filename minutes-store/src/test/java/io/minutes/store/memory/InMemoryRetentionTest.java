package io.minutes.store.memory;

import io.minutes.core.engine.InProcessStoreEvents;
import io.minutes.core.port.BlobStore;
import io.minutes.core.port.MeetingStore;
import io.minutes.core.testing.InMemoryMeetingStore;
import io.minutes.store.RetentionContract;
import io.minutes.store.blob.FolderBlobStore;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;

/** Retention on the in-memory store, with recordings in a folder (it has no blob store of its own). */
class InMemoryRetentionTest extends RetentionContract {

    @TempDir
    Path dir;

    @Override
    protected MeetingStore newStore() {
        return new InMemoryMeetingStore(new InProcessStoreEvents());
    }

    @Override
    protected BlobStore newBlobStore() {
        return new FolderBlobStore(dir.resolve("blobs"));
    }
}
