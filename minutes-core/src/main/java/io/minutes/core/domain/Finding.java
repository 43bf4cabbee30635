package io.minutes.core.domain;

/**
 * A decision or an open question of the minutes. {@code evidence} is null when no one said where it came from
 * (minutes stored before evidence existed); {@code supported} is false only for an item kept although its
 * evidence was not found in the transcript.
 */
public record Finding(String text, Evidence evidence, boolean supported) {

    /** The same finding, marked as kept although its evidence was not found. */
    public Finding unsupported() {
        return new Finding(text, evidence, false);
    }
}
