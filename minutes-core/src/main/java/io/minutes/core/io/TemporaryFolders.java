package io.minutes.core.io;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.stream.Stream;

/** The temporary folders Minutes works in (recordings being measured or split, uploads, estimates). */
public final class TemporaryFolders {
    private TemporaryFolders() {
    }

    /**
     * Deletes the folder and everything in it, as far as it can: a temporary folder left behind is not
     * worth failing the work that used it. @return false when something was left behind
     */
    public static boolean deleteQuietly(Path folder) {
        if (folder == null || !Files.exists(folder)) return true;
        try (Stream<Path> paths = Files.walk(folder)) {
            boolean all = true;
            for (Path p : paths.sorted(Comparator.reverseOrder()).toList()) all &= p.toFile().delete();
            return all;
        } catch (IOException | UncheckedIOException e) {
            return false;
        }
    }
}
