package io.minutes.store.sqlite;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.channels.FileChannel;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.concurrent.locks.ReentrantLock;

/**
 * Lets one store at a time migrate a database file, across threads and processes. Flyway's own
 * locking is not enough on SQLite: two processes migrating a new file at once see
 * SQLITE_BUSY_SNAPSHOT instead of waiting for each other.
 *
 * <p>The lock is taken on a sibling file, never on the database itself: SQLite locks byte ranges of
 * the database with fcntl, and closing any other handle on it would drop SQLite's locks.
 */
final class MigrationLock {
    // a JVM cannot hold two overlapping file locks, so threads of one process queue here first
    private static final ReentrantLock IN_PROCESS = new ReentrantLock();

    private MigrationLock() {
    }

    static void runLocked(Path dbFile, Runnable migration) {
        Path lockFile = dbFile.resolveSibling(dbFile.getFileName() + ".migrate-lock");
        IN_PROCESS.lock();
        try (FileChannel channel = FileChannel.open(lockFile, StandardOpenOption.CREATE, StandardOpenOption.WRITE)) {
            channel.lock(); // released when the channel closes
            migration.run();
        } catch (IOException e) {
            throw new UncheckedIOException("cannot lock " + lockFile + " to migrate the database", e);
        } finally {
            IN_PROCESS.unlock();
        }
    }
}
