package io.minutes.store.memory;

import io.minutes.core.engine.InProcessStoreEvents;
import io.minutes.core.port.MeetingStore;
import io.minutes.core.testing.InMemoryMeetingStore;
import io.minutes.store.DedupContract;

class InMemoryDedupTest extends DedupContract {

    @Override
    protected MeetingStore newStore() {
        return new InMemoryMeetingStore(new InProcessStoreEvents());
    }
}
