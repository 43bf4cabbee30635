package io.minutes.store.memory;

import io.minutes.core.port.MeetingStore;
import io.minutes.core.port.StoreEvents;
import io.minutes.core.testing.InMemoryMeetingStore;
import io.minutes.store.MeetingStoreContract;

class InMemoryMeetingStoreTest extends MeetingStoreContract {

    @Override
    protected MeetingStore newStore(StoreEvents events) {
        return new InMemoryMeetingStore(events);
    }
}
