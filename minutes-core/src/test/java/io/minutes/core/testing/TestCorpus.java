package io.minutes.core.testing;

import org.junit.jupiter.api.Assumptions;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Optional;
import java.util.TreeMap;
import java.util.stream.Stream;

/**
 * Real transcripts for tests. The permissively licensed files of the shared corpus are shipped in the
 * repository ({@code testdata/corpus}, attributed in its README); the others (GPL, no licence, rights
 * unclear) are read from {@code ../shared/corpus} when it is there, and a test that needs one is skipped
 * saying so when it is not. Paths are relative to the corpus root: {@code vtt/...}, {@code srt/...},
 * {@code txt/...}, {@code summaries/...}.
 */
public final class TestCorpus {
    private TestCorpus() {
    }

    /** The copy shipped in the repository ({@code minutes.testdata}, else {@code minutes.root}/testdata/corpus). */
    public static Optional<Path> shipped() {
        String explicit = System.getProperty("minutes.testdata");
        String root = System.getProperty("minutes.root");
        Path dir = explicit != null ? Path.of(explicit) : root != null ? Path.of(root, "testdata", "corpus") : null;
        return Optional.ofNullable(dir).filter(Files::isDirectory);
    }

    /** The whole shared corpus ({@code minutes.corpus}, the build sets it to ../shared/corpus), when present. */
    public static Optional<Path> shared() {
        String dir = System.getProperty("minutes.corpus");
        return Optional.ofNullable(dir).map(Path::of).filter(Files::isDirectory);
    }

    /** The file, shipped or shared; skips the calling test, saying why, when neither has it. */
    public static Path file(String relative) {
        Optional<Path> found = find(relative);
        Assumptions.assumeTrue(found.isPresent(), () -> relative + " is not shipped with the repository (GPL, no licence or rights"
                + " unclear: testdata/corpus/README.md) and the shared corpus (../shared/corpus, -Dminutes.corpus) is not here");
        return found.get();
    }

    public static Optional<Path> find(String relative) {
        for (Optional<Path> dir : java.util.List.of(shipped(), shared())) {
            if (dir.isPresent() && Files.isRegularFile(dir.get().resolve(relative))) return Optional.of(dir.get().resolve(relative));
        }
        return Optional.empty();
    }

    /** Every file of {@code folder} ({@code vtt}, ...) found shipped or shared, once each, sorted by name. */
    public static Stream<Path> list(String folder) {
        TreeMap<String, Path> byName = new TreeMap<>();
        for (Optional<Path> dir : java.util.List.of(shared(), shipped())) { // shipped last: it wins a tie
            if (dir.isEmpty() || !Files.isDirectory(dir.get().resolve(folder))) continue;
            try (Stream<Path> files = Files.list(dir.get().resolve(folder))) {
                files.filter(Files::isRegularFile).forEach(f -> byName.put(f.getFileName().toString(), f));
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }
        return byName.values().stream();
    }
}
