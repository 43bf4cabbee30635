package io.minutes.core.domain;

/** Someone who spoke: words spoken, and talk time in seconds when the transcript has timestamps (else null). */
public record Participant(String name, int words, Double talkSeconds) {
}
