package io.minutes.core.engine;

import java.time.Duration;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.Condition;
import java.util.concurrent.locks.ReentrantLock;

/** A signal that is not lost when it arrives before the wait: the next wait returns at once. */
final class Wakeup {
    private final ReentrantLock lock = new ReentrantLock();
    private final Condition signalled = lock.newCondition();
    private boolean pending;

    void signal() {
        lock.lock();
        try {
            pending = true;
            signalled.signalAll();
        } finally {
            lock.unlock();
        }
    }

    /** Waits until signalled or {@code timeout} passes. */
    void await(Duration timeout) throws InterruptedException {
        long nanos = timeout.toNanos();
        lock.lock();
        try {
            while (!pending && nanos > 0) nanos = signalled.awaitNanos(nanos);
            pending = false;
        } finally {
            lock.unlock();
        }
    }

    void await(long millis) throws InterruptedException {
        await(Duration.of(Math.max(0, millis), TimeUnit.MILLISECONDS.toChronoUnit()));
    }
}
