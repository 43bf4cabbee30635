package io.minutes.core.domain;

/** What transcribing a recording used: the seconds of audio sent (chunk overlaps included) and what they cost. */
public record TranscriptionUsage(double audioSeconds, double costUsd) {
    public static final TranscriptionUsage NONE = new TranscriptionUsage(0, 0);

    public TranscriptionUsage plus(TranscriptionUsage other) {
        return new TranscriptionUsage(audioSeconds + other.audioSeconds, costUsd + other.costUsd);
    }
}
