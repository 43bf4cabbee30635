package io.minutes.core.ingest;

import java.util.Locale;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** A readable meeting title from a file name. */
final class Titles {

    private static final Set<String> EXTENSIONS =
            Set.of("vtt", "webvtt", "srt", "txt", "text", "md", "markdown", "json", "transcript", "cc", "captions",
                    "mp3", "wav", "m4a", "ogg", "opus", "flac", "webm", "mp4", "mov", "mkv");
    private static final Pattern ZOOM_PREFIX = Pattern.compile("GMT(\\d{4})(\\d{2})(\\d{2})-(\\d{2})(\\d{2})(\\d{2})_Recording");
    private static final Pattern SEPARATORS = Pattern.compile("_+|(?<!\\d)-+|-+(?!\\d)");

    private Titles() {
    }

    static String fromFileName(String sourceName) {
        String name = sourceName == null ? "" : sourceName.strip();
        name = name.substring(Math.max(name.lastIndexOf('/'), name.lastIndexOf('\\')) + 1);
        String fallback = name.isEmpty() ? "untitled" : name;
        String stem = stripExtensions(name);
        Matcher zoom = ZOOM_PREFIX.matcher(stem);
        if (zoom.find()) {
            String rest = (stem.substring(0, zoom.start()) + " " + stem.substring(zoom.end())).strip();
            stem = rest.replaceAll("^[_\\-\\s]+|[_\\-\\s]+$", "").isEmpty()
                    ? "Zoom recording %s-%s-%s %s:%s".formatted(zoom.group(1), zoom.group(2), zoom.group(3),
                            zoom.group(4), zoom.group(5))
                    : rest;
        }
        String title = SEPARATORS.matcher(stem).replaceAll(" ").replaceAll("\\s+", " ").strip();
        return title.isEmpty() ? fallback : title;
    }

    private static String stripExtensions(String name) {
        String stem = name;
        while (true) {
            int dot = stem.lastIndexOf('.');
            if (dot <= 0) return stem;
            String ext = stem.substring(dot + 1).toLowerCase(Locale.ROOT);
            if (!EXTENSIONS.contains(ext)) return stem;
            stem = stem.substring(0, dot);
        }
    }

    static String extension(String sourceName) {
        String name = sourceName == null ? "" : sourceName;
        name = name.substring(Math.max(name.lastIndexOf('/'), name.lastIndexOf('\\')) + 1);
        int dot = name.lastIndexOf('.');
        return dot < 0 ? "" : name.substring(dot + 1).toLowerCase(Locale.ROOT);
    }
}
