package io.minutes.store.sqlite;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.IOException;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;

/**
 * Room kept free beside the database file (a "ballast" file, as CockroachDB keeps one in its store
 * folder): when the disk fills up, deleting it gives the writes that keep answers already paid for the
 * room they need, while no new meeting is claimed. It is made again once the disk has twice its size free.
 */
final class DiskReserve {
    private static final Logger log = LoggerFactory.getLogger(DiskReserve.class);
    static final long DEFAULT_BYTES = 1024 * 1024;
    private static final int CHUNK = 64 * 1024;

    private final Path file;
    private final long bytes;
    private volatile boolean spent;

    private DiskReserve(Path file, long bytes) {
        this.file = file;
        this.bytes = bytes;
    }

    /** The reserve of {@code database}; spent from the start when the disk has no room for it. */
    static DiskReserve beside(Path database, long bytes) {
        DiskReserve reserve = new DiskReserve(database.resolveSibling(database.getFileName() + "-reserve"), bytes);
        reserve.spent = !reserve.fill();
        return reserve;
    }

    Path file() {
        return file;
    }

    /** True while the reserve is used up: the disk is (nearly) full and new work must wait. */
    boolean spent() {
        return spent;
    }

    /** Frees the reserve's room for the writes that need it now; false when it was spent already. */
    synchronized boolean release() {
        if (spent) return false;
        spent = true;
        try {
            Files.deleteIfExists(file);
            log.debug("disk full: released the {}-byte reserve {}", bytes, file);
            return true;
        } catch (IOException e) {
            return false;
        }
    }

    /** Makes the reserve again when the disk has room for it twice over; true when it is in place. */
    synchronized boolean restore() {
        if (!spent) return true;
        try {
            Path folder = file.toAbsolutePath().getParent();
            if (Files.getFileStore(folder).getUsableSpace() < 2 * bytes) return false;
        } catch (IOException e) {
            return false;
        }
        spent = !fill();
        return !spent;
    }

    private boolean fill() {
        try {
            if (Files.exists(file) && Files.size(file) >= bytes) return true;
            try (OutputStream out = Files.newOutputStream(file, StandardOpenOption.CREATE, StandardOpenOption.TRUNCATE_EXISTING)) {
                byte[] zeros = new byte[CHUNK];
                for (long written = 0; written < bytes; written += CHUNK) {
                    out.write(zeros, 0, (int) Math.min(CHUNK, bytes - written));
                }
                out.flush();
            }
            return true;
        } catch (IOException e) { // no room: keep nothing half-made
            try {
                Files.deleteIfExists(file);
            } catch (IOException ignored) {
                // nothing more to free
            }
            return false;
        }
    }
}
