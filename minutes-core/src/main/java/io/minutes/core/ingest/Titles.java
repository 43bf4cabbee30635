package io.minutes.core.ingest;

import io.minutes.core.text.RegexWork;
import java.util.Locale;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * A readable meeting title from a file's name or path: extensions, recording prefixes and suffixes (Zoom
 * {@code GMT20240124-202901_Recording}, Teams {@code -20240124_153012-Meeting Recording}, Otter {@code _otter_ai})
 * and underscores go; a generic name ({@code transcript.vtt}, {@code closed_caption.txt}, {@code audio1.m4a}) takes
 * its folder's name, or its archive's.
 */
public final class Titles {

    private static final Set<String> EXTENSIONS =
            Set.of("vtt", "webvtt", "srt", "txt", "text", "md", "markdown", "json", "transcript", "cc", "captions",
                    "docx", "zip", "mp3", "wav", "m4a", "ogg", "opus", "flac", "webm", "mp4", "mov", "mkv");
    private static final Pattern ZOOM_PREFIX = Pattern.compile(
            "GMT(\\d{4})(\\d{2})(\\d{2})-(\\d{2})(\\d{2})(\\d{2})_Recording(?:_(?:\\d+x\\d+|gallery|gvo|avo|as|cc))*");
    private static final Pattern TEAMS_SUFFIX = Pattern.compile("-\\d{8}_\\d{6}-Meeting (?:Recording|Transcript)$");
    private static final Pattern OTTER_SUFFIX = Pattern.compile("_otter_ai$", Pattern.CASE_INSENSITIVE);
    private static final Pattern GENERIC = Pattern.compile("(?i)(?:meeting[ _]saved[ _])?(?:closed[ _])?(?:captions?|"
            + "transcript|subtitles?|chat|recording|audio\\d*|video\\d*|audio[ _]only|zoom[ _]\\d+)");
    private static final Pattern SEPARATORS = Pattern.compile("_+|(?<!\\d)-+|-+(?!\\d)");

    private Titles() {
    }

    public static String fromFileName(String sourceName) {
        String path = sourceName == null ? "" : sourceName.strip();
        String[] parts = path.split("[/\\\\]+");
        String name = parts.length == 0 ? "" : parts[parts.length - 1];
        if (RegexWork.matcher(GENERIC, stripExtensions(name)).matches() && parts.length >= 2) {
            String folder = parts[parts.length - 2].replaceAll("!$", "");
            if (!folder.isBlank()) return title(folder, folder);
        }
        return title(name, name.isEmpty() ? "untitled" : name);
    }

    private static String title(String name, String fallback) {
        String stem = stripExtensions(name);
        stem = RegexWork.matcher(OTTER_SUFFIX, RegexWork.matcher(TEAMS_SUFFIX, stem).replaceAll("")).replaceAll("");
        Matcher zoom = RegexWork.matcher(ZOOM_PREFIX, stem);
        if (zoom.find()) {
            String rest = (stem.substring(0, zoom.start()) + " " + stem.substring(zoom.end())).strip();
            stem = rest.replaceAll("^[_\\-\\s]+|[_\\-\\s]+$", "").isEmpty()
                    ? "Zoom recording %s-%s-%s %s:%s".formatted(zoom.group(1), zoom.group(2), zoom.group(3),
                            zoom.group(4), zoom.group(5))
                    : rest;
        }
        String title = RegexWork.matcher(SEPARATORS, stem).replaceAll(" ").replaceAll("\\s+", " ").strip();
        return title.isEmpty() ? fallback : title;
    }

    /** A file name without its transcript and media extensions, stacked ones too: {@code a.transcript.vtt} is {@code a}. */
    public static String stem(String fileName) {
        return stripExtensions(fileName);
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
