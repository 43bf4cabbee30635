package io.minutes.core.ingest;

import io.minutes.core.text.RegexWork;
import java.io.FilterInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Locale;
import java.util.function.Predicate;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import java.util.zip.ZipEntry;
import java.util.zip.ZipInputStream;

/**
 * Expands a ZIP archive, streamed, into a temporary folder: each supported entry becomes one file, to be read like
 * any file of a folder. Nothing is held in memory whole and every unzipped byte is counted as it streams, so an
 * archive over its {@link ZipLimits} (too many entries, too many bytes, a bomb's compression ratio) or with a path
 * leading outside the archive (zip-slip) is refused early, in bounded memory, time and disk.
 */
public final class ZipArchive {

    private static final Pattern DRIVE = Pattern.compile("^[A-Za-z]:.*");
    private static final Pattern SAFE_EXTENSION = Pattern.compile("[a-z0-9]{1,10}");
    private static final int BUFFER = 64 * 1024;

    /** {@code name} is the entry's path inside the archive; {@code file} holds its bytes. */
    public record Entry(String name, Path file) {
    }

    public sealed interface Extraction {
    }

    /** The supported entries in archive order, and a note for every entry passed over. Closing deletes the files. */
    public record Extracted(Path folder, List<Entry> entries, List<String> notes) implements Extraction, AutoCloseable {
        public Extracted {
            entries = List.copyOf(entries);
            notes = List.copyOf(notes);
        }

        @Override
        public void close() {
            deleteRecursively(folder);
        }
    }

    /** Refused whole: {@code message} names the archive and the limit or problem; nothing is left on disk. */
    public record Refused(String message, long unzippedBytesRead) implements Extraction {
    }

    private ZipArchive() {
    }

    /** True when the bytes start like a ZIP archive (a local file header, or the end record of an empty one). */
    public static boolean looksLikeZip(byte[] head) {
        return head.length >= 4 && head[0] == 'P' && head[1] == 'K'
                && ((head[2] == 3 && head[3] == 4) || (head[2] == 5 && head[3] == 6));
    }

    /**
     * @param archive     the archive's bytes; the caller closes it
     * @param archiveName how messages name the archive
     * @param supported   which entry paths to extract (by name); the others are passed over with a note
     * @param tempParent  where the temporary folder is made
     */
    public static Extraction extract(InputStream archive, String archiveName, Predicate<String> supported,
                                     ZipLimits limits, Path tempParent) {
        Path folder;
        try {
            Files.createDirectories(tempParent);
            folder = Files.createTempDirectory(tempParent, "minutes-zip-");
        } catch (IOException e) {
            throw new UncheckedIOException("cannot make a temporary folder in " + tempParent + ": " + e.getMessage(), e);
        }
        Reader reader = new Reader(archiveName, supported, limits, folder);
        try {
            return reader.read(archive);
        } catch (RefusedException e) {
            deleteRecursively(folder);
            return new Refused(archiveName + ": " + e.getMessage(), reader.unzipped);
        } catch (IOException | IllegalArgumentException e) {
            // IllegalArgumentException: ZipInputStream's answer to entry names that are not valid UTF-8
            deleteRecursively(folder);
            String after = reader.lastEntry == null ? "" : " (after entry \"" + reader.lastEntry + "\")";
            return new Refused(archiveName + ": cannot read the ZIP archive" + after + ": " + problem(e)
                    + "; check that the file is a complete, unencrypted ZIP archive with UTF-8 entry names",
                    reader.unzipped);
        } catch (RuntimeException | Error e) {
            deleteRecursively(folder);
            throw e;
        }
    }

    /** What went wrong, in words: some of the JDK's ZIP errors have no message at all. */
    private static String problem(Exception e) {
        if (e instanceof java.io.EOFException) return "it ends too early (the file is cut off)";
        String message = e.getMessage();
        return message == null || message.isBlank() ? "it is damaged (" + e.getClass().getSimpleName() + ")" : message;
    }

    private static final class RefusedException extends Exception {
        RefusedException(String message) {
            super(message, null, false, false);
        }
    }

    private static final class Reader {
        private final String archiveName;
        private final Predicate<String> supported;
        private final ZipLimits limits;
        private final Path folder;
        private final List<Entry> entries = new ArrayList<>();
        private final List<String> notes = new ArrayList<>();
        private long unzipped;
        private String lastEntry;

        Reader(String archiveName, Predicate<String> supported, ZipLimits limits, Path folder) {
            this.archiveName = archiveName;
            this.supported = supported;
            this.limits = limits;
            this.folder = folder;
        }

        Extracted read(InputStream archive) throws IOException, RefusedException {
            CountingInputStream compressed = new CountingInputStream(archive);
            int count = 0;
            try (ZipInputStream zip = new ZipInputStream(compressed)) {
                ZipEntry entry;
                while ((entry = zip.getNextEntry()) != null) {
                    if (++count > limits.maxEntries()) {
                        throw new RefusedException("refused: more than " + limits.maxEntries()
                                + " entries (limit max-zip-entries); split the archive or raise the limit");
                    }
                    String name = checkedName(entry.getName());
                    lastEntry = name;
                    if (entry.isDirectory()) continue;
                    checkDeclaredSizes(entry, name);
                    String skip = reasonToPassOver(name);
                    if (skip != null) {
                        notes.add(archiveName + "!/" + name + ": passed over (" + skip + ")");
                        copy(zip, compressed, OutputStream.nullOutputStream(), name); // skipping unzips too: counted
                        continue;
                    }
                    Path file = folder.resolve(String.format(Locale.ROOT, "%05d%s", count, extensionOf(name)));
                    try (OutputStream out = Files.newOutputStream(file)) {
                        copy(zip, compressed, out, name);
                    }
                    entries.add(new Entry(name, file));
                }
            }
            if (count == 0) notes.add(archiveName + ": the ZIP archive is empty");
            return new Extracted(folder, entries, notes);
        }

        private String checkedName(String raw) throws RefusedException {
            String name = raw.replace('\\', '/');
            if (name.isEmpty()) {
                throw new RefusedException("cannot read the ZIP archive: an entry has no name, so the file is damaged "
                        + "or is not really a ZIP archive");
            }
            boolean escapes = name.startsWith("/") || RegexWork.matcher(DRIVE, name).matches() || name.indexOf('\0') >= 0
                    || Stream.of(name.split("/")).anyMatch(".."::equals);
            if (escapes) {
                throw new RefusedException("refused: entry \"" + raw + "\" points outside the archive (a zip-slip "
                        + "path); entries must be relative paths without \"..\"");
            }
            return name;
        }

        private String reasonToPassOver(String name) {
            if (name.startsWith("__MACOSX/")) return "macOS metadata";
            for (String part : name.split("/")) {
                if (part.startsWith(".")) return "hidden file";
            }
            return supported.test(name) ? null : "not a supported file type";
        }

        private void checkDeclaredSizes(ZipEntry entry, String name) throws RefusedException {
            long size = entry.getSize();
            long packed = entry.getCompressedSize();
            if (size > 0 && unzipped + size > limits.maxUnzippedBytes()) throw tooBig();
            if (size > ZipLimits.RATIO_FLOOR && packed > 0 && size > packed * ZipLimits.MAX_COMPRESSION_RATIO) {
                throw bomb(name);
            }
        }

        /** Copies one entry, counting as it goes: limits are checked on the bytes as they unzip, not on the headers. */
        private void copy(ZipInputStream zip, CountingInputStream compressed, OutputStream out, String name)
                throws IOException, RefusedException {
            long packedAtStart = compressed.count;
            long entryBytes = 0;
            byte[] buffer = new byte[BUFFER];
            int n;
            while ((n = zip.read(buffer)) > 0) {
                entryBytes += n;
                unzipped += n;
                if (unzipped > limits.maxUnzippedBytes()) throw tooBig();
                long packed = Math.max(1, compressed.count - packedAtStart);
                if (entryBytes > ZipLimits.RATIO_FLOOR && entryBytes > packed * ZipLimits.MAX_COMPRESSION_RATIO) {
                    throw bomb(name);
                }
                out.write(buffer, 0, n);
            }
        }

        private RefusedException tooBig() {
            return new RefusedException("refused: it unzips to more than " + bytes(limits.maxUnzippedBytes())
                    + " (limit max-unzipped-bytes); split the archive or raise the limit");
        }

        private RefusedException bomb(String name) {
            return new RefusedException("refused: entry \"" + name + "\" unzips to more than "
                    + ZipLimits.MAX_COMPRESSION_RATIO + " times its compressed size, which is how ZIP bombs look");
        }
    }

    private static String extensionOf(String name) {
        int slash = name.lastIndexOf('/');
        int dot = name.lastIndexOf('.');
        if (dot <= slash + 1) return "";
        String ext = name.substring(dot + 1).toLowerCase(Locale.ROOT);
        return RegexWork.matcher(SAFE_EXTENSION, ext).matches() ? "." + ext : "";
    }

    static String bytes(long n) {
        if (n >= 1L << 30 && n % (1L << 30) == 0) return (n >> 30) + " GiB";
        if (n >= 1L << 20 && n % (1L << 20) == 0) return (n >> 20) + " MiB";
        if (n >= 1L << 20) return String.format(Locale.ROOT, "%.1f MiB", n / (double) (1L << 20));
        return n + " bytes";
    }

    private static void deleteRecursively(Path folder) {
        if (!Files.exists(folder)) return;
        try (Stream<Path> paths = Files.walk(folder)) {
            for (Path p : paths.sorted(Comparator.reverseOrder()).toList()) Files.deleteIfExists(p);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot delete the temporary folder " + folder + ": " + e.getMessage(), e);
        }
    }

    /** Counts the compressed bytes the ZIP reader has taken, to measure each entry's compression ratio. */
    private static final class CountingInputStream extends FilterInputStream {
        long count;

        CountingInputStream(InputStream in) {
            super(in);
        }

        @Override
        public int read() throws IOException {
            int b = super.read();
            if (b >= 0) count++;
            return b;
        }

        @Override
        public int read(byte[] b, int off, int len) throws IOException {
            int n = super.read(b, off, len);
            if (n > 0) count += n;
            return n;
        }

        @Override
        public long skip(long n) throws IOException {
            long skipped = super.skip(n);
            count += skipped;
            return skipped;
        }
    }
}
