package io.minutes.core.testing;

import org.junit.jupiter.api.Assumptions;

import java.io.File;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;

/**
 * The programs outside the JDK that some tests run, and the Debian package each comes in. A test that needs
 * one calls {@link #assumeInstalled}: without it the test is skipped with the package to install, so
 * {@code ./mvnw verify} passes on a machine with only a JDK; {@code .ci/run} installs them all.
 */
public final class OutsidePrograms {
    private static final Map<String, String> DEBIAN_PACKAGE = Map.of(
            "ffmpeg", "ffmpeg",
            "ffprobe", "ffmpeg",
            "espeak-ng", "espeak-ng",
            "chromium", "chromium",
            "chromedriver", "chromium-driver",
            "curl", "curl");

    private OutsidePrograms() {
    }

    /** Skips the calling test, naming the Debian package, unless every one of {@code programs} is on the PATH. */
    public static void assumeInstalled(String... programs) {
        for (String program : programs) {
            String pkg = DEBIAN_PACKAGE.get(program);
            if (pkg == null) throw new IllegalArgumentException(program + " is not a known outside program: add its Debian package here");
            Assumptions.assumeTrue(isInstalled(program),
                    () -> program + " is not installed: apt-get install -y " + pkg + " (.ci/run installs it)");
        }
    }

    public static boolean isInstalled(String program) {
        return find(program) != null;
    }

    /** The program's path on the PATH, or null. */
    public static Path find(String program) {
        for (String dir : System.getenv().getOrDefault("PATH", "").split(File.pathSeparator)) {
            if (dir.isBlank()) continue;
            Path candidate = Path.of(dir, program);
            if (Files.isExecutable(candidate)) return candidate;
        }
        return null;
    }
}
