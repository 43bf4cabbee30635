package io.minutes.core.domain;

import java.util.List;
import java.util.stream.Collectors;

/** What was said in a meeting, in order. {@code format} names the parser that produced it (vtt, srt, txt, ...). */
public record Transcript(String format, List<Segment> segments, List<String> warnings) {

    public Transcript {
        segments = List.copyOf(segments);
        warnings = warnings == null ? List.of() : List.copyOf(warnings);
    }

    public Transcript(String format, List<Segment> segments) {
        this(format, segments, List.of());
    }

    /** All the spoken text, one segment a line, without speakers. */
    public String plainText() {
        return segments.stream().map(Segment::text).collect(Collectors.joining("\n"));
    }

    public int characterCount() {
        int n = 0;
        for (Segment s : segments) n += s.text().strip().length();
        return n;
    }

    public int wordCount() {
        int n = 0;
        for (Segment s : segments) {
            String t = s.text().strip();
            if (!t.isEmpty()) n += t.split("\\s+").length;
        }
        return n;
    }
}
