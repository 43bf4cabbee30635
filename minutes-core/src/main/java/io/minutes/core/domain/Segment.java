package io.minutes.core.domain;

import java.util.List;

/**
 * One stretch of speech. {@code speaker} is null when the source does not say who spoke;
 * {@code startSeconds}/{@code endSeconds} are null when it has no timestamps. {@code annotations} are the
 * non-speech marks the source had in the text ({@code <laugh>}, {@code [Music]}, QMSum {@code {vocalsound}}), in
 * order, without their brackets: kept apart so they are neither lost nor counted as words.
 */
public record Segment(String speaker, Double startSeconds, Double endSeconds, String text, List<String> annotations) {

    public Segment {
        text = text == null ? "" : text;
        annotations = annotations == null ? List.of() : List.copyOf(annotations);
    }

    public Segment(String speaker, Double startSeconds, Double endSeconds, String text) {
        this(speaker, startSeconds, endSeconds, text, List.of());
    }

    public static Segment of(String speaker, String text) {
        return new Segment(speaker, null, null, text);
    }

    public boolean hasTimes() {
        return startSeconds != null && endSeconds != null;
    }
}
