package io.minutes.core.port;

/**
 * The store cannot be read or written right now: the database is unreachable, its disk is full, the
 * file cannot be opened. An infrastructure condition, not a property of any meeting: the engine waits
 * for it to pass and never fails a meeting for it. {@link #condition()} is what a user may be told
 * ("database unreachable", "disk full at /var/lib/minutes"): never a host, port, user or database name;
 * the driver's own message stays in the cause, for the log.
 */
public class StoreUnavailableException extends RuntimeException {
    /** The condition of a database that does not answer. */
    public static final String DATABASE_UNREACHABLE = "database unreachable";
    private final String condition;

    public StoreUnavailableException(String condition, String operation, Throwable cause) {
        super(operation + " failed: " + condition, cause);
        this.condition = condition;
    }

    /** What is wrong, fit for a user: e.g. "database unreachable", "disk full at PATH". */
    public String condition() {
        return condition;
    }
}
