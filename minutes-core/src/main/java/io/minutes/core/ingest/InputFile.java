package io.minutes.core.ingest;

import java.nio.file.Path;
import java.util.Locale;
import java.util.Set;

/**
 * One input file: where it is, and {@code source}, how results name it (its path relative to the folder
 * given, the file as given, or the name it was uploaded under).
 */
public record InputFile(Path path, String source) {
    public static final Set<String> TRANSCRIPT_EXTENSIONS = Set.of("txt", "md", "vtt", "srt", "json", "docx", "zip");
    /** Recordings; what a file is, is decided by its bytes, the extension only picks it from a folder or archive. */
    public static final Set<String> RECORDING_EXTENSIONS = Set.of("mp3", "wav", "m4a", "ogg", "opus", "flac", "webm", "mp4", "mov", "mkv");

    /** Whether a file of this name, in a folder or a ZIP archive, is one to read (an archive inside an archive is refused by name). */
    public static boolean isSupported(String name) {
        String extension = extension(name);
        return TRANSCRIPT_EXTENSIONS.contains(extension) || RECORDING_EXTENSIONS.contains(extension);
    }

    private static String extension(String path) {
        String name = path.substring(path.lastIndexOf('/') + 1);
        int dot = name.lastIndexOf('.');
        return dot < 0 ? "" : name.substring(dot + 1).toLowerCase(Locale.ROOT);
    }
}
