package io.minutes.app.cli;

import io.minutes.core.ingest.InputFile;
import io.minutes.core.ingest.PreparedBatch;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;

/**
 * The files a run works on: named files as given, and the transcripts and recordings inside named folders in
 * sorted path order. Files in folders with other extensions are passed over and listed, never
 * dropped silently. ZIP archives are listed like files; {@link PreparedBatch} opens them.
 */
public final class Inputs {
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
                    if (InputFile.isSupported(file.getFileName().toString())) {
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
}
