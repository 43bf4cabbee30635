package io.minutes.core.port;

/**
 * A whole store backend: the queue the engine works on, the batches the use cases store and read, the
 * API keys and the health of the store, each a port of its own so that every caller depends on the
 * part it uses. Closing it closes the backend.
 *
 * <p>Implementations must pass {@code MeetingStoreContract} in minutes-store's tests.
 */
public interface MeetingStore extends MeetingQueue, BatchStore, ProviderBatchStore, ApiKeyStore, StoreStatus, AutoCloseable {

    @Override
    void close();
}
