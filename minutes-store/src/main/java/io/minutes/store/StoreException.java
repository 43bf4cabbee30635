package io.minutes.store;

/** The database failed underneath a store operation (I/O, corruption, a lock held too long). */
public final class StoreException extends RuntimeException {
    public StoreException(String message, Throwable cause) {
        super(message, cause);
    }
}
