package io.minutes.app;

import io.minutes.core.port.BlobStore;
import io.minutes.core.port.MeetingStore;
import io.minutes.core.port.RateLimitBuckets;
import io.minutes.core.port.RateWindows;
import io.minutes.core.port.ResultCache;
import io.minutes.core.port.StoreEvents;

import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * A store with the companions its backend brings: the events that reach every node sharing it (the
 * store announces the work it queues on them), the rate windows it learns ({@link RateWindows#NONE}
 * for a backend that keeps none), the result cache it keeps, if any, and, where the backend can share
 * them, blobs and rate-limit buckets. What a backend can do is told by what it
 * carries, never by its class. Closing it closes them all, events first.
 */
public record StoreBackend(String location, MeetingStore store, StoreEvents events, RateWindows rateWindows,
                           Optional<ResultCache> results, Optional<BlobStore> sharedBlobs,
                           Optional<RateLimitBuckets> sharedBuckets, List<AutoCloseable> resources) implements AutoCloseable {

    @Override
    public void close() {
        List<Exception> failures = new ArrayList<>();
        for (AutoCloseable resource : resources) {
            try {
                resource.close();
            } catch (Exception e) {
                failures.add(e);
            }
        }
        if (!failures.isEmpty()) {
            IllegalStateException e = new IllegalStateException("could not close " + location + ": " + failures.getFirst().getMessage());
            failures.forEach(e::addSuppressed);
            throw e;
        }
    }
}
