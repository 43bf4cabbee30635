package io.minutes.store.sqlite;

import io.minutes.store.StoreException;
import io.minutes.store.StoreFailures;
import io.minutes.core.port.StoreEvents;
import io.minutes.core.port.StoreUnavailableException;
import io.minutes.store.jdbc.JdbcMeetingStore;
import io.minutes.store.jdbc.SqlFiles;
import io.minutes.store.jdbc.SqlRunner;
import io.minutes.core.domain.ClaimedMeeting;
import org.flywaydb.core.Flyway;
import org.sqlite.SQLiteConfig;
import org.sqlite.SQLiteDataSource;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.SQLException;
import java.util.List;
import java.util.concurrent.locks.ReentrantLock;

/**
 * The embedded {@link io.minutes.core.port.MeetingStore}: one SQLite file, one connection per store;
 * the operations are {@link JdbcMeetingStore}'s over {@code sql/sqlite/*.sql} and {@code sql/common/*.sql}.
 *
 * <p>SQLite has a single writer, so the connection is shared by all threads behind a lock (a
 * {@link ReentrantLock}, which does not pin virtual threads). Every operation that writes runs in
 * {@code BEGIN IMMEDIATE}, which takes the file's write lock up front: two processes on the
 * same file cannot claim the same meeting, and a writer waits (busy_timeout) instead of failing
 * half-way through.
 */
public final class SqliteMeetingStore extends JdbcMeetingStore {

    static final int BUSY_TIMEOUT_MILLIS = 10_000;

    private static final SqlFiles SQL = new SqlFiles("sqlite");

    private final Path file;
    private final Connection connection;
    private final SqlRunner sql;
    private final ReentrantLock lock = new ReentrantLock();
    private final DiskReserve reserve;

    private SqliteMeetingStore(Path file, Connection connection, DiskReserve reserve, StoreEvents events) {
        super(events);
        this.file = file;
        this.connection = connection;
        this.sql = new SqlRunner(connection, SQL);
        this.reserve = reserve;
    }

    /**
     * Opens (creating it and its folders if needed) and migrates the database file; {@code events} (an
     * in-process one: only this process writes to the file) hears of every write that queued meetings.
     */
    public static SqliteMeetingStore open(Path dbFile, StoreEvents events) {
        Path file = dbFile.toAbsolutePath();
        try {
            if (file.getParent() != null) Files.createDirectories(file.getParent());
        } catch (IOException e) {
            throw new UncheckedIOException("cannot create the folder of the database " + file, e);
        }
        SQLiteDataSource dataSource = dataSource(file);
        try {
            MigrationLock.runLocked(file, () -> Flyway.configure()
                    .dataSource(dataSource)
                    .locations("classpath:db/migration/sqlite")
                    .loggers("slf4j")
                    .load()
                    .migrate());
        } catch (RuntimeException e) { // a full disk or an unwritable file, said as such
            for (Throwable t = e; t != null; t = t.getCause()) {
                if (t instanceof SQLException sqlException
                        && StoreFailures.sqlite("migrate", sqlException, file) instanceof StoreUnavailableException unavailable) {
                    throw unavailable;
                }
            }
            throw e;
        }
        try {
            return new SqliteMeetingStore(file, dataSource.getConnection(), DiskReserve.beside(file, DiskReserve.DEFAULT_BYTES), events);
        } catch (SQLException e) {
            RuntimeException failure = StoreFailures.sqlite("open", e, file);
            if (failure instanceof StoreUnavailableException) throw failure;
            throw new StoreException("cannot open the database " + file, e);
        }
    }

    private static SQLiteDataSource dataSource(Path file) {
        SQLiteConfig config = new SQLiteConfig();
        config.setJournalMode(SQLiteConfig.JournalMode.WAL);       // readers never block the writer
        config.setSynchronous(SQLiteConfig.SynchronousMode.NORMAL); // safe with WAL; may lose the last commits on power loss, never corrupts
        config.enforceForeignKeys(true);
        config.setBusyTimeout(BUSY_TIMEOUT_MILLIS);                 // wait for another process's write instead of failing
        // JDBC transactions (Flyway's) take the write lock up front: a deferred one that writes after
        // reading cannot wait for another writer and fails with SQLITE_BUSY_SNAPSHOT. The store's own
        // transactions are opened by hand (see inTransaction).
        config.setTransactionMode(SQLiteConfig.TransactionMode.IMMEDIATE);
        SQLiteDataSource dataSource = new SQLiteDataSource(config);
        dataSource.setUrl("jdbc:sqlite:" + file);
        return dataSource;
    }

    public Path file() {
        return file;
    }

    /**
     * No meeting is claimed while the disk reserve is spent (see {@link DiskReserve}): a new answer could
     * not be stored. Says "disk full" until the disk has room again.
     */
    @Override
    public List<ClaimedMeeting> meetingsClaim(ClaimParams params) {
        if (reserve.spent() && !reserve.restore()) {
            throw new StoreUnavailableException(diskFull(), "meetingsClaim", null);
        }
        return super.meetingsClaim(params);
    }

    private String diskFull() {
        return "disk full at " + (file.getParent() == null ? file : file.getParent());
    }

    // ---- transactions --------------------------------------------------------------------------

    /** Runs work in a write transaction that holds the database's write lock from its start. */
    @Override
    protected <T> T write(String operation, Work<T> work) {
        return inTransaction(operation, "BEGIN IMMEDIATE", work);
    }

    /** Runs work in a read transaction, so its several queries see one snapshot. */
    @Override
    protected <T> T read(String operation, Work<T> work) {
        return inTransaction(operation, "BEGIN DEFERRED", work);
    }

    /** SQLite's reads are cheap to wrap, so every read gets its snapshot. */
    @Override
    protected <T> T readSnapshot(String operation, Work<T> work) {
        return read(operation, work);
    }

    @Override
    protected <T> T writeRolledBack(String operation, Work<T> work) {
        return inTransaction(operation, "BEGIN IMMEDIATE", work, "ROLLBACK");
    }

    // The connection stays in JDBC auto-commit mode and the transaction is opened by hand: sqlite-jdbc's
    // setAutoCommit(false) would open the next transaction straight after each commit and hold it.
    private <T> T inTransaction(String operation, String begin, Work<T> work) {
        return inTransaction(operation, begin, work, "COMMIT");
    }

    private <T> T inTransaction(String operation, String begin, Work<T> work, String end) {
        try {
            return inTransactionOnce(operation, begin, work, end);
        } catch (DiskFull full) {
            // the reserve's room is for this write (an outcome, an answer); claims wait until the disk has room
            if (!reserve.release()) throw full.unavailable;
            try {
                return inTransactionOnce(operation, begin, work, end);
            } catch (DiskFull again) {
                throw again.unavailable;
            }
        }
    }

    /** SQLITE_FULL, to be tried again once with the reserve's room. */
    private static final class DiskFull extends RuntimeException {
        final transient StoreUnavailableException unavailable;

        DiskFull(StoreUnavailableException unavailable) {
            super(null, null, false, false);
            this.unavailable = unavailable;
        }
    }

    private <T> T inTransactionOnce(String operation, String begin, Work<T> work, String end) {
        lock.lock();
        try {
            sql.execute(begin);
            try {
                T result = work.run(sql);
                sql.execute(end);
                return result;
            } catch (SQLException | RuntimeException e) {
                rollback(e);
                throw e;
            }
        } catch (SQLException e) {
            RuntimeException failure = StoreFailures.sqlite(operation, e, file);
            if (failure instanceof StoreUnavailableException unavailable && StoreFailures.isDiskFull(e)) {
                throw new DiskFull(unavailable);
            }
            throw failure;
        } finally {
            lock.unlock();
        }
    }

    private void rollback(Exception cause) {
        try {
            if (!connection.isClosed()) sql.execute("ROLLBACK");
        } catch (SQLException e) {
            cause.addSuppressed(e);
        }
    }

    @Override
    public void close() {
        lock.lock();
        try {
            sql.close();
            connection.close();
        } catch (SQLException e) {
            throw new StoreException("cannot close the database " + file, e);
        } finally {
            lock.unlock();
        }
    }
}
