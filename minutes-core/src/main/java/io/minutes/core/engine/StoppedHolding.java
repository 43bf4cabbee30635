package io.minutes.core.engine;

/**
 * Shutdown interrupted a worker still holding something paid for (an outcome, a transcript) that the
 * store would not take: what the store had is kept, and the meeting is asked again on the next run.
 */
final class StoppedHolding extends Exception {
    StoppedHolding(String condition) {
        super(condition, null, false, false);
    }
}
