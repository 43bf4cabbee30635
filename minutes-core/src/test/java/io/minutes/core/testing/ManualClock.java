package io.minutes.core.testing;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.time.ZoneOffset;

/** A clock that moves only when the test says: core's engine tests and the store contracts share it. */
public final class ManualClock extends Clock {
    // volatile: the dispatcher's threads read it while the test moves it
    private volatile Instant now;

    public ManualClock() {
        this(Instant.parse("2026-11-25T12:00:00Z"));
    }

    public ManualClock(Instant start) {
        this.now = start;
    }

    public void set(Instant instant) {
        now = instant;
    }

    public void advance(Duration d) {
        now = now.plus(d);
    }

    @Override
    public ZoneId getZone() {
        return ZoneOffset.UTC;
    }

    @Override
    public Clock withZone(ZoneId zone) {
        return this;
    }

    @Override
    public Instant instant() {
        return now;
    }
}
