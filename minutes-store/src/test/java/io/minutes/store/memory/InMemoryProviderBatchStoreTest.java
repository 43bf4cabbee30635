package io.minutes.store.memory;

import io.minutes.core.engine.InProcessStoreEvents;
import io.minutes.core.port.MeetingStore;
import io.minutes.core.testing.InMemoryMeetingStore;
import io.minutes.store.ProviderBatchStoreContract;

class InMemoryProviderBatchStoreTest extends ProviderBatchStoreContract {

    private InMemoryMeetingStore opened;

    @Override
    protected MeetingStore newStore() {
        opened = new InMemoryMeetingStore(new InProcessStoreEvents());
        return opened;
    }

    @Override
    protected MeetingStore otherNode() {
        return opened.anotherNode(new InProcessStoreEvents());
    }
}
