package io.minutes.core.domain;

/**
 * Where an item of the minutes was said: {@code segment} is the index into {@link Transcript#segments()},
 * {@code start} its start in seconds (null when the transcript has no times), {@code speaker} who said it
 * (null when the transcript does not say) and {@code quote} a short verbatim piece of what was said.
 */
public record Evidence(int segment, Double start, String speaker, String quote) {
}
