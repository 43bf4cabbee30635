package io.minutes.store.blob;

import io.minutes.core.port.BlobStore;
import io.minutes.store.BlobStoreContract;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.ByteArrayInputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.stream.Stream;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class FolderBlobStoreTest extends BlobStoreContract {

    @TempDir
    Path dir;

    @Override
    protected BlobStore newBlobStore() {
        return new FolderBlobStore(dir.resolve("blobs"));
    }

    @Test
    void noTemporaryFileIsLeftBehind() throws Exception {
        blobs.put(new ByteArrayInputStream(randomBytes(100, 4)));
        blobs.put(new ByteArrayInputStream(randomBytes(100, 4)));

        try (Stream<Path> tmp = Files.list(dir.resolve("blobs/tmp"))) {
            assertThat(tmp).isEmpty();
        }
    }

    @Test
    void aKeyCannotNameAFileOutsideTheFolder() {
        assertThatThrownBy(() -> blobs.open("../../etc/passwd"))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("not a blob key");
    }
}
