package io.minutes.core.engine;

import io.minutes.core.port.BlobStore;
import io.minutes.core.port.BatchStore;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.IOException;
import java.time.Clock;
import java.time.Duration;

/**
 * Purges finished batches, their meetings and the recordings only they used, {@code retention} after
 * they finished. A zero retention keeps everything forever. Output files written by {@code run} are
 * not the store's and stay.
 */
public final class Retention {
    private static final Logger log = LoggerFactory.getLogger(Retention.class);

    private final BatchStore store;
    private final BlobStore blobs;
    private final Duration retention;
    private final Clock clock;

    public Retention(BatchStore store, BlobStore blobs, Duration retention, Clock clock) {
        if (retention.isNegative()) throw new IllegalArgumentException("retention must be 0 (forever) or more, got " + retention);
        this.store = store;
        this.blobs = blobs;
        this.retention = retention;
        this.clock = clock;
    }

    /** @return what was purged now */
    public BatchStore.Purged purgeExpired() {
        if (retention.isZero()) return new BatchStore.Purged(0, java.util.Set.of());
        BatchStore.Purged purged = store.batchesPurge(new BatchStore.PurgeParams(clock.instant().minus(retention)));
        for (String key : purged.unreferencedBlobKeys()) {
            try {
                blobs.delete(key);
            } catch (IOException e) {
                log.warn("retention: could not delete recording {}: {}", key, e.toString());
            }
        }
        if (purged.batches() > 0) {
            log.info("retention: purged {} batch(es) finished more than {} ago and {} recording(s)",
                    purged.batches(), retention, purged.unreferencedBlobKeys().size());
        }
        return purged;
    }
}
