package io.minutes.store;

import io.minutes.core.port.BlobStore;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.security.MessageDigest;
import java.util.HexFormat;
import java.util.Random;

import static org.assertj.core.api.Assertions.assertThat;

/** What every {@link BlobStore} must do; a backend's test extends this class and supplies a fresh, empty store. */
public abstract class BlobStoreContract {

    protected BlobStore blobs;

    protected abstract BlobStore newBlobStore() throws IOException;

    @BeforeEach
    void openBlobStore() throws IOException {
        blobs = newBlobStore();
    }

    protected static byte[] randomBytes(int size, long seed) {
        byte[] bytes = new byte[size];
        new Random(seed).nextBytes(bytes);
        return bytes;
    }

    protected static String sha256Hex(byte[] bytes) throws Exception {
        return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(bytes));
    }

    @Test
    void theKeyIsTheSha256OfTheBytesAndTheBytesComeBackWhole() throws Exception {
        byte[] bytes = randomBytes(3 * 1024 * 1024 + 17, 1);

        String key = blobs.put(new ByteArrayInputStream(bytes));

        assertThat(key).isEqualTo(sha256Hex(bytes));
        assertThat(blobs.size(key)).contains((long) bytes.length);
        try (InputStream in = blobs.open(key).orElseThrow()) {
            assertThat(in.readAllBytes()).isEqualTo(bytes);
        }
    }

    @Test
    void theSameBytesTwiceKeepOneBlob() throws Exception {
        byte[] bytes = randomBytes(1000, 2);

        String first = blobs.put(new ByteArrayInputStream(bytes));
        String second = blobs.put(new ByteArrayInputStream(bytes));

        assertThat(second).isEqualTo(first);
        blobs.delete(first);
        assertThat(blobs.open(first)).isEmpty();
    }

    @Test
    void anEmptyBlobIsABlob() throws Exception {
        String key = blobs.put(InputStream.nullInputStream());

        assertThat(blobs.size(key)).contains(0L);
    }

    @Test
    void anUnknownKeyIsEmptyAndDeletingItIsNoError() throws Exception {
        String unknown = sha256Hex("never stored".getBytes());

        assertThat(blobs.open(unknown)).isEmpty();
        assertThat(blobs.size(unknown)).isEmpty();
        blobs.delete(unknown);
    }

    @Test
    void aFailingStreamStoresNothing() throws Exception {
        byte[] bytes = randomBytes(10_000, 3);
        InputStream breaks = new InputStream() {
            int read;

            @Override
            public int read() throws IOException {
                if (read == 5_000) throw new IOException("disk unplugged");
                return bytes[read++] & 0xFF;
            }
        };

        org.assertj.core.api.Assertions.assertThatThrownBy(() -> blobs.put(breaks)).isInstanceOf(IOException.class);
        assertThat(blobs.size(sha256Hex(bytes))).isEmpty();
        assertThat(blobs.size(sha256Hex(java.util.Arrays.copyOf(bytes, 5_000)))).isEmpty();
    }
}
