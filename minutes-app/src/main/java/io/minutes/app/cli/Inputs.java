package io.minutes.app.cli;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.stream.Stream;

/**
 * The files a run works on: named files as given, and the transcripts and recordings inside named folders in
 * sorted path order. Files in folders with other extensions are passed over and listed, never
 * dropped silently. ZIP archives are listed like files; {@link PreparedBatch} opens them.
 */
public final class Inputs {
    public static final Set<String> TRANSCRIPT_EXTENSIONS = Set.of("txt", "md", "vtt", "srt", "json", "docx", "zip");
    /** Recordings; what a file is, is decided by its bytes, the extension only picks it from a folder or archive. */
    public static final Set<String> RECORDING_EXTENSIONS = Set.of("mp3", "wav", "m4a", "ogg", "opus", "flac", "webm", "mp4", "mov", "mkv");

    /** {@code source} is how results name the file: its path relative to the folder given, or the file as given. */
    public record InputFile(Path path, String source) {
    }

    public record Collected(List<InputFile> files, List<Path> passedOver) {
    }

    private Inputs() {
    }

    /** @throws IllegalArgumentException naming the first argument that does not exist */
    public static Collected collect(List<Path> arguments) {
        List<InputFile> files = new ArrayList<>();
        List<Path> passedOver = new ArrayList<>();
        for (Path argument : arguments) {
            if (Files.isRegularFile(argument)) {
                files.add(new InputFile(argument, argument.getFileName().toString()));
            } else if (Files.isDirectory(argument)) {
                for (Path file : walk(argument)) {
                    if (TRANSCRIPT_EXTENSIONS.contains(extension(file)) || RECORDING_EXTENSIONS.contains(extension(file))) {
                        files.add(new InputFile(file, argument.relativize(file).toString()));
                    } else {
                        passedOver.add(file);
                    }
                }
            } else {
                throw new IllegalArgumentException(argument + ": no such file or folder");
            }
        }
        return new Collected(files, passedOver);
    }

    private static List<Path> walk(Path folder) {
        try (Stream<Path> paths = Files.walk(folder)) {
            return paths.filter(Files::isRegularFile)
                    .filter(p -> !isHidden(folder.relativize(p)))
                    .sorted()
                    .toList();
        } catch (IOException e) {
            throw new UncheckedIOException("cannot list " + folder + ": " + e.getMessage(), e);
        }
    }

    private static boolean isHidden(Path relative) {
        for (Path part : relative) {
            if (part.toString().startsWith(".")) return true;
        }
        return false;
    }

    /** Entries of a ZIP archive that become meetings: what a folder would take (an archive inside is refused by name). */
    public static boolean isSupportedInArchive(String entryName) {
        String extension = extension(entryName);
        return TRANSCRIPT_EXTENSIONS.contains(extension) || RECORDING_EXTENSIONS.contains(extension);
    }

    static String extension(Path file) {
        return extension(file.getFileName().toString());
    }

    static String extension(String path) {
        String name = path.substring(path.lastIndexOf('/') + 1);
        int dot = name.lastIndexOf('.');
        return dot < 0 ? "" : name.substring(dot + 1).toLowerCase(Locale.ROOT);
    }
}
