package io.minutes.store.postgres;

import io.minutes.core.port.BlobStore;

import java.io.IOException;
import java.io.InputStream;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.HexFormat;
import java.util.Optional;
import java.util.UUID;

/**
 * {@link BlobStore} in PostgreSQL, so every node reads what any node stored. A blob is a row in
 * {@code blobs} and its bytes are numbered {@code blob_chunks} of at most {@link #CHUNK_BYTES}:
 * writing holds one chunk in memory, reading one chunk at a time on a short-lived connection.
 *
 * <p>{@link #put} writes the chunks under an upload key while it hashes them, then in the same
 * transaction either renames them to the content key or, when that blob exists already, rolls
 * them back: storing the same bytes twice (even at once, on two nodes) keeps one copy.
 */
public final class PostgresBlobStore implements BlobStore {
    static final int CHUNK_BYTES = 256 * 1024;

    private final PostgresDatabase database;

    public PostgresBlobStore(PostgresDatabase database) {
        this.database = database;
    }

    @Override
    public String put(InputStream in) throws IOException {
        String upload = "upload-" + UUID.randomUUID();
        MessageDigest sha256 = sha256();
        try (Connection c = database.dataSource().getConnection()) {
            try {
                long size = 0;
                try (PreparedStatement chunk = c.prepareStatement(
                        "INSERT INTO blob_chunks (blob_key, n, data) VALUES (?, ?, ?)")) {
                    byte[] buffer = new byte[CHUNK_BYTES];
                    int n = 0;
                    int filled;
                    while ((filled = in.readNBytes(buffer, 0, CHUNK_BYTES)) > 0) {
                        sha256.update(buffer, 0, filled);
                        chunk.setString(1, upload);
                        chunk.setInt(2, n++);
                        chunk.setBytes(3, filled == CHUNK_BYTES ? buffer : java.util.Arrays.copyOf(buffer, filled));
                        chunk.executeUpdate();
                        size += filled;
                    }
                }
                String key = HexFormat.of().formatHex(sha256.digest());
                if (claimKey(c, key, size)) {
                    try (PreparedStatement rename = c.prepareStatement("UPDATE blob_chunks SET blob_key = ? WHERE blob_key = ?")) {
                        rename.setString(1, key);
                        rename.setString(2, upload);
                        rename.executeUpdate();
                    }
                    c.commit();
                } else {
                    c.rollback(); // the same bytes are stored already
                }
                return key;
            } catch (SQLException | IOException | RuntimeException e) {
                c.rollback();
                throw e;
            }
        } catch (SQLException e) {
            throw new IOException("cannot store a blob in " + database.url() + ": " + e.getMessage(), e);
        }
    }

    /** @return false when a blob with this key exists (or is being committed by another node). */
    private static boolean claimKey(Connection c, String key, long size) throws SQLException {
        try (PreparedStatement insert = c.prepareStatement(
                "INSERT INTO blobs (blob_key, size, created_at) VALUES (?, ?, ?) ON CONFLICT (blob_key) DO NOTHING")) {
            insert.setString(1, key);
            insert.setLong(2, size);
            insert.setLong(3, System.currentTimeMillis());
            return insert.executeUpdate() == 1;
        }
    }

    @Override
    public Optional<InputStream> open(String key) throws IOException {
        return size(key).map(size -> new ChunkStream(key, size));
    }

    @Override
    public Optional<Long> size(String key) throws IOException {
        try (Connection c = database.dataSource().getConnection();
             PreparedStatement select = c.prepareStatement("SELECT size FROM blobs WHERE blob_key = ?")) {
            select.setString(1, key);
            try (ResultSet rs = select.executeQuery()) {
                return rs.next() ? Optional.of(rs.getLong(1)) : Optional.empty();
            }
        } catch (SQLException e) {
            throw new IOException("cannot read blob " + key + " from " + database.url() + ": " + e.getMessage(), e);
        }
    }

    @Override
    public void delete(String key) throws IOException {
        try (Connection c = database.dataSource().getConnection()) {
            try (PreparedStatement blob = c.prepareStatement("DELETE FROM blobs WHERE blob_key = ?");
                 PreparedStatement chunks = c.prepareStatement("DELETE FROM blob_chunks WHERE blob_key = ?")) {
                blob.setString(1, key);
                blob.executeUpdate();
                chunks.setString(1, key);
                chunks.executeUpdate();
                c.commit();
            } catch (SQLException e) {
                c.rollback();
                throw e;
            }
        } catch (SQLException e) {
            throw new IOException("cannot delete blob " + key + " from " + database.url() + ": " + e.getMessage(), e);
        }
    }

    /** Counts blobs and chunks; for tests and checks that nothing was left behind. */
    long chunkRows() throws SQLException {
        try (Connection c = database.dataSource().getConnection(); Statement s = c.createStatement();
             ResultSet rs = s.executeQuery("SELECT count(*) FROM blob_chunks")) {
            rs.next();
            return rs.getLong(1);
        }
    }

    private static MessageDigest sha256() {
        try {
            return MessageDigest.getInstance("SHA-256");
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("the JDK has no SHA-256", e);
        }
    }

    /** Reads chunk after chunk, each on a connection borrowed for that one query. */
    private final class ChunkStream extends InputStream {
        private final String key;
        private final long size;
        private long delivered;
        private int next;
        private byte[] chunk = new byte[0];
        private int pos;
        private boolean end;

        ChunkStream(String key, long size) {
            this.key = key;
            this.size = size;
        }

        @Override
        public int read() throws IOException {
            if (!fill()) return -1;
            delivered++;
            return chunk[pos++] & 0xff;
        }

        @Override
        public int read(byte[] b, int off, int len) throws IOException {
            if (len == 0) return 0;
            if (!fill()) return -1;
            int n = Math.min(len, chunk.length - pos);
            System.arraycopy(chunk, pos, b, off, n);
            pos += n;
            delivered += n;
            return n;
        }

        private boolean fill() throws IOException {
            while (!end && pos == chunk.length) {
                try (Connection c = database.dataSource().getConnection();
                     PreparedStatement select = c.prepareStatement("SELECT data FROM blob_chunks WHERE blob_key = ? AND n = ?")) {
                    select.setString(1, key);
                    select.setInt(2, next);
                    try (ResultSet rs = select.executeQuery()) {
                        if (rs.next()) {
                            chunk = rs.getBytes(1);
                            pos = 0;
                            next++;
                        } else if (delivered < size) {
                            throw new IOException("blob " + key + " ended after " + delivered + " of its " + size
                                    + " bytes: it was deleted while being read");
                        } else {
                            end = true;
                        }
                    }
                } catch (SQLException e) {
                    throw new IOException("cannot read chunk " + next + " of blob " + key + ": " + e.getMessage(), e);
                }
            }
            return !end;
        }
    }
}
