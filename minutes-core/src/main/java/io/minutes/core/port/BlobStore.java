package io.minutes.core.port;

import java.io.IOException;
import java.io.InputStream;
import java.util.Optional;

/**
 * Where uploaded files and audio live while their meetings wait to be processed: a folder for one
 * machine, a place every node can read (PostgreSQL, a shared folder) for many. Keys are content
 * addressed (the SHA-256 of the bytes, in hex), so storing the same bytes twice keeps one copy.
 * Implementations stream: a blob is never held in memory whole.
 */
public interface BlobStore {

    /** Stores everything {@code in} gives (the caller closes it) and returns its key. */
    String put(InputStream in) throws IOException;

    /** The blob's bytes, or empty when no blob has this key. The caller closes the stream. */
    Optional<InputStream> open(String key) throws IOException;

    /** The blob's size in bytes, or empty when no blob has this key. */
    Optional<Long> size(String key) throws IOException;

    /** Removes the blob; removing a missing blob is not an error. */
    void delete(String key) throws IOException;
}
