package io.minutes.store.memory;

import io.minutes.core.engine.InProcessStoreEvents;
import io.minutes.core.port.MeetingStore;
import io.minutes.core.testing.InMemoryMeetingStore;
import io.minutes.store.RateWindowsContract;

class InMemoryRateWindowsTest extends RateWindowsContract {

    private InMemoryMeetingStore opened;

    @Override
    protected MeetingStore newStore() {
        opened = new InMemoryMeetingStore(new InProcessStoreEvents());
        return opened;
    }

    /** A second store on the same data, as a second node on one database. */
    @Override
    protected MeetingStore otherNode() {
        return opened.anotherNode(new InProcessStoreEvents());
    }
}
