package io.minutes.store.postgres;

import io.minutes.core.port.BlobStore;
import io.minutes.store.BlobStoreContract;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.security.MessageDigest;
import java.util.HexFormat;
import java.util.Random;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * The BlobStore contract on PostgreSQL, and what only a shared store must do: blobs stored by one
 * node are read by another, streamed both ways, one copy per content.
 */
class PostgresBlobStoreTest extends BlobStoreContract {

    private TestPostgres.Schema schema;
    private PostgresDatabase nodeA;
    private PostgresDatabase nodeB;
    private PostgresBlobStore blobsA;
    private PostgresBlobStore blobsB;

    /** Two nodes (two pools) on a fresh schema; the contract's tests use the first. */
    @Override
    protected BlobStore newBlobStore() {
        schema = TestPostgres.newSchema();
        nodeA = PostgresDatabase.open(schema.url(), 2);
        nodeB = PostgresDatabase.open(schema.url(), 2);
        blobsA = new PostgresBlobStore(nodeA);
        blobsB = new PostgresBlobStore(nodeB);
        return blobsA;
    }

    @AfterEach
    void close() {
        nodeA.close();
        nodeB.close();
        schema.close();
    }

    /** {@code size} pseudo-random bytes produced as they are read, never held whole. */
    private static InputStream generated(long size, long seed) {
        Random random = new Random(seed);
        return new InputStream() {
            long left = size;

            @Override
            public int read() {
                if (left == 0) return -1;
                left--;
                return random.nextInt(256);
            }

            @Override
            public int read(byte[] b, int off, int len) {
                if (left == 0) return -1;
                int n = (int) Math.min(len, left);
                byte[] chunk = new byte[n];
                random.nextBytes(chunk);
                System.arraycopy(chunk, 0, b, off, n);
                left -= n;
                return n;
            }
        };
    }

    private static String sha256(InputStream in) throws Exception {
        MessageDigest digest = MessageDigest.getInstance("SHA-256");
        byte[] buffer = new byte[10_000]; // not a multiple of the chunk size
        int n;
        while ((n = in.read(buffer)) > 0) digest.update(buffer, 0, n);
        return HexFormat.of().formatHex(digest.digest());
    }

    @Test
    void aBlobSpanningManyChunksIsReadBackByAnotherNodeByteForByte() throws Exception {
        long size = 5L * PostgresBlobStore.CHUNK_BYTES + 12_345;
        String expected = sha256(generated(size, 7));

        String key = blobsA.put(generated(size, 7));

        assertThat(key).isEqualTo(expected);
        assertThat(blobsB.size(key)).contains(size);
        try (InputStream in = blobsB.open(key).orElseThrow()) {
            assertThat(sha256(in)).isEqualTo(expected);
        }
    }

    @Test
    void theSameBytesStoredByTwoNodesKeepOneCopy() throws Exception {
        byte[] bytes = "WEBVTT\n\n00:00.000 --> 00:01.000\nhello\n".getBytes();

        String first = blobsA.put(new ByteArrayInputStream(bytes));
        String second = blobsB.put(new ByteArrayInputStream(bytes));

        assertThat(second).isEqualTo(first);
        assertThat(blobsA.chunkRows()).isEqualTo(1);
        try (InputStream in = blobsA.open(first).orElseThrow()) {
            assertThat(in.readAllBytes()).isEqualTo(bytes);
        }
    }

    @Test
    void deleteRemovesTheBlobAndItsChunksAndMissingKeysAreEmpty() throws Exception {
        String key = blobsA.put(generated(3L * PostgresBlobStore.CHUNK_BYTES, 1));

        blobsB.delete(key);
        blobsB.delete(key); // a missing blob is not an error

        assertThat(blobsA.open(key)).isEmpty();
        assertThat(blobsA.size(key)).isEmpty();
        assertThat(blobsA.chunkRows()).isZero();
    }

    @Test
    void aFailingUploadLeavesNothingBehind() throws Exception {
        InputStream breaksHalfWay = new InputStream() {
            int given;

            @Override
            public int read() throws IOException {
                if (given++ > PostgresBlobStore.CHUNK_BYTES * 2) throw new IOException("connection reset by client");
                return 'x';
            }
        };

        assertThatThrownBy(() -> blobsA.put(breaksHalfWay)).isInstanceOf(IOException.class)
                .hasMessageContaining("connection reset by client");
        assertThat(blobsA.chunkRows()).isZero();
    }

    @Test
    void aBlobDeletedWhileBeingReadFailsTheReadInsteadOfEndingItShort() throws Exception {
        String key = blobsA.put(generated(3L * PostgresBlobStore.CHUNK_BYTES, 2));
        try (InputStream in = blobsB.open(key).orElseThrow()) {
            in.readNBytes(PostgresBlobStore.CHUNK_BYTES + 1);
            blobsA.delete(key);

            assertThatThrownBy(in::readAllBytes).isInstanceOf(IOException.class).hasMessageContaining("deleted while being read");
        }
    }
}
