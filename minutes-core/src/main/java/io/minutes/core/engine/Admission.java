package io.minutes.core.engine;

import java.time.Duration;

/**
 * What the dispatcher asks before it claims: how many calls could start now, so that no meeting is
 * claimed (and its lease run down) only to wait for the provider's allowance.
 */
public interface Admission {

    /** How many of {@code wanted} calls could be admitted now, counting those claimed and not yet started. */
    int startable(int wanted);

    /** The dispatcher claimed {@code count} meetings on the strength of {@link #startable}. */
    void claimed(int count);

    /** How long until one more call could start, when {@link #startable} says none can. */
    Duration untilStartable();

    Admission UNLIMITED = new Admission() {
        @Override
        public int startable(int wanted) {
            return wanted;
        }

        @Override
        public void claimed(int count) {
        }

        @Override
        public Duration untilStartable() {
            return Duration.ZERO;
        }
    };
}
