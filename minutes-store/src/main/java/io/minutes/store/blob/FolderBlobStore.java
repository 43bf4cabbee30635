package io.minutes.store.blob;

import io.minutes.core.port.BlobStore;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.security.DigestInputStream;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.Optional;
import java.util.regex.Pattern;

/**
 * A {@link BlobStore} on a folder of one machine: {@code <root>/ab/abcdef...} for the key
 * {@code abcdef...} (the SHA-256 of the bytes, in hex). A blob is streamed into a temporary file in
 * {@code <root>/tmp} while it is hashed, then renamed into place atomically, so a reader never sees a
 * half-written blob and a crash leaves at most a stray temporary file.
 */
public final class FolderBlobStore implements BlobStore {
    private static final Pattern KEY = Pattern.compile("[0-9a-f]{64}");

    private final Path root;

    public FolderBlobStore(Path root) {
        this.root = root.toAbsolutePath();
    }

    public Path root() {
        return root;
    }

    @Override
    public String put(InputStream in) throws IOException {
        Path tmpDir = Files.createDirectories(root.resolve("tmp"));
        Path tmp = Files.createTempFile(tmpDir, "put-", ".part");
        try {
            MessageDigest sha256 = sha256();
            try (DigestInputStream digesting = new DigestInputStream(in, sha256);
                 OutputStream out = Files.newOutputStream(tmp)) {
                digesting.transferTo(out);
            }
            String key = HexFormat.of().formatHex(sha256.digest());
            Path target = path(key);
            if (!Files.exists(target)) {
                Files.createDirectories(target.getParent());
                moveAtomically(tmp, target);
            }
            return key;
        } finally {
            Files.deleteIfExists(tmp);
        }
    }

    private static void moveAtomically(Path from, Path to) throws IOException {
        try {
            Files.move(from, to, StandardCopyOption.ATOMIC_MOVE);
        } catch (AtomicMoveNotSupportedException e) {
            throw new IOException("cannot rename " + from + " to " + to + " atomically: keep the blob folder on one file system", e);
        }
    }

    @Override
    public Optional<InputStream> open(String key) throws IOException {
        try {
            return Optional.of(Files.newInputStream(path(key)));
        } catch (NoSuchFileException e) {
            return Optional.empty();
        }
    }

    @Override
    public Optional<Long> size(String key) throws IOException {
        try {
            return Optional.of(Files.size(path(key)));
        } catch (NoSuchFileException e) {
            return Optional.empty();
        }
    }

    @Override
    public void delete(String key) throws IOException {
        Files.deleteIfExists(path(key));
    }

    /** @throws IllegalArgumentException for anything but a SHA-256 in lower-case hex, so a key can never leave the folder */
    private Path path(String key) {
        if (key == null || !KEY.matcher(key).matches()) {
            throw new IllegalArgumentException("not a blob key (64 lower-case hex digits): " + key);
        }
        return root.resolve(key.substring(0, 2)).resolve(key);
    }

    private static MessageDigest sha256() {
        try {
            return MessageDigest.getInstance("SHA-256");
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("the JDK has no SHA-256", e);
        }
    }
}
