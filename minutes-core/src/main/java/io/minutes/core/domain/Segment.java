package io.minutes.core.domain;

/**
 * One stretch of speech. {@code speaker} is null when the source does not say who spoke;
 * {@code startSeconds}/{@code endSeconds} are null when it has no timestamps.
 */
public record Segment(String speaker, Double startSeconds, Double endSeconds, String text) {

    public Segment {
        text = text == null ? "" : text;
    }

    public static Segment of(String speaker, String text) {
        return new Segment(speaker, null, null, text);
    }

    public boolean hasTimes() {
        return startSeconds != null && endSeconds != null;
    }
}
