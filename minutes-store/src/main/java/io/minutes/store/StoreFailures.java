package io.minutes.store;

import io.minutes.core.port.StoreUnavailableException;
import org.sqlite.SQLiteErrorCode;
import org.sqlite.SQLiteException;

import java.nio.file.Path;
import java.sql.SQLException;
import java.sql.SQLRecoverableException;
import java.sql.SQLTransientConnectionException;

/**
 * Tells an infrastructure condition (the database unreachable, its disk full) from a failure of the
 * operation itself. The condition becomes a {@link StoreUnavailableException}, which the engine waits
 * out; its text names no host, port, user or database, since it may reach a user or an API client.
 */
public final class StoreFailures {
    private StoreFailures() {
    }

    public static final String DATABASE_UNREACHABLE = StoreUnavailableException.DATABASE_UNREACHABLE;

    /** A failure of a PostgreSQL operation. */
    public static RuntimeException postgres(String operation, SQLException e) {
        String condition = postgresCondition(e);
        if (condition != null) return new StoreUnavailableException(condition, operation, e);
        return new StoreException(operation + " failed on the PostgreSQL store: " + e.getMessage(), e);
    }

    /**
     * The infrastructure condition somewhere in {@code failure}'s causes (e.g. a rate-limit bucket kept in
     * PostgreSQL that could not be written), if there is one.
     */
    public static java.util.Optional<StoreUnavailableException> unavailable(Throwable failure) {
        for (Throwable t = failure; t != null; t = t.getCause()) {
            if (t instanceof StoreUnavailableException u) return java.util.Optional.of(u);
            if (t instanceof SQLException sql && postgres("rate limits", sql) instanceof StoreUnavailableException u) {
                return java.util.Optional.of(u);
            }
        }
        return java.util.Optional.empty();
    }

    /** A failure of an operation on the SQLite file {@code file}. */
    public static RuntimeException sqlite(String operation, SQLException e, Path file) {
        String condition = sqliteCondition(e, file);
        if (condition != null) return new StoreUnavailableException(condition, operation, e);
        return new StoreException(operation + " failed on " + file + ": " + e.getMessage(), e);
    }

    /** SQLSTATE classes 08 (connection), 57P (server shutting down or starting), 53 (out of disk, memory, connections). */
    static String postgresCondition(SQLException e) {
        for (Throwable t = e; t != null; t = t.getCause()) {
            if (t instanceof SQLTransientConnectionException || t instanceof SQLRecoverableException) {
                return DATABASE_UNREACHABLE;
            }
            if (t instanceof SQLException sql && sql.getSQLState() != null) {
                String state = sql.getSQLState();
                if (state.startsWith("08") || state.startsWith("57P")) return DATABASE_UNREACHABLE;
                if (state.equals("53100")) return "the database server's disk is full";
                if (state.startsWith("53")) return "the database server is out of resources (" + state + ")";
            }
        }
        return null;
    }

    /** SQLITE_FULL: the disk (or the file's size limit) is full. */
    public static boolean isDiskFull(SQLException e) {
        for (Throwable t = e; t != null; t = t.getCause()) {
            if (t instanceof SQLiteException sqlite) {
                SQLiteErrorCode code = sqlite.getResultCode();
                int primary = code == null ? sqlite.getErrorCode() & 0xff : code.code & 0xff;
                if (primary == 13) return true;
            }
        }
        return false;
    }

    private static boolean noRoomLeft(Path folder) {
        try {
            return java.nio.file.Files.getFileStore(folder).getUsableSpace() < 64 * 1024;
        } catch (java.io.IOException | RuntimeException e) {
            return false;
        }
    }

    static String sqliteCondition(SQLException e, Path file) {
        for (Throwable t = e; t != null; t = t.getCause()) {
            if (!(t instanceof SQLiteException sqlite)) continue;
            SQLiteErrorCode code = sqlite.getResultCode();
            int primary = code == null ? sqlite.getErrorCode() & 0xff : code.code & 0xff;
            Path folder = file.getParent() == null ? file : file.getParent();
            if ((primary == 10 || primary == 14) && noRoomLeft(folder)) primary = 13; // ENOSPC said as an I/O error
            switch (primary) {
                case 13 -> { return "disk full at " + folder; }                                   // SQLITE_FULL
                case 10 -> { return "cannot write the database file " + file + " (I/O error)"; } // SQLITE_IOERR
                case 14 -> { return "cannot open the database file " + file; }                   // SQLITE_CANTOPEN
                case 8 -> { return "the database file " + file + " is read-only"; }              // SQLITE_READONLY
                case 5 -> { return "the database file " + file + " is locked by another process"; } // SQLITE_BUSY
                default -> { }
            }
        }
        return null;
    }
}
