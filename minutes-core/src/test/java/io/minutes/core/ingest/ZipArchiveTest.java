package io.minutes.core.ingest;

import static java.nio.charset.StandardCharsets.UTF_8;
import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.function.Predicate;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ZipArchiveTest {

    private static final Predicate<String> TRANSCRIPTS = name -> name.matches("(?i).*\\.(vtt|srt|txt|md|json|docx)");

    @TempDir
    Path temp;

    private ZipArchive.Extraction extract(byte[] zip, ZipLimits limits) {
        return ZipArchive.extract(new ByteArrayInputStream(zip), "calls.zip", TRANSCRIPTS, limits, temp);
    }

    private List<Path> leftInTemp() throws IOException {
        try (Stream<Path> files = Files.walk(temp)) {
            return files.filter(Files::isRegularFile).toList();
        }
    }

    @Test
    void supportedEntriesAreExtractedInOrderAndTheRestPassedOverWithANote() throws IOException {
        Map<String, byte[]> entries = new LinkedHashMap<>();
        entries.put("q1/", new byte[0]);
        entries.put("q1/standup.vtt", "WEBVTT\n\n00:01.000 --> 00:02.000\nhello\n".getBytes(UTF_8));
        entries.put("__MACOSX/q1/._standup.vtt", new byte[]{0, 5, 22, 7});
        entries.put("q1/.DS_Store", new byte[]{0, 0, 0, 1});
        entries.put("q1/slides.pdf", "%PDF-1.4".getBytes(UTF_8));
        entries.put("notes.TXT", "Ann: hi".getBytes(UTF_8));

        try (ZipArchive.Extracted x = (ZipArchive.Extracted) extract(Zips.of(entries), ZipLimits.ofDefaults())) {
            assertThat(x.entries()).extracting(ZipArchive.Entry::name).containsExactly("q1/standup.vtt", "notes.TXT");
            assertThat(Files.readAllBytes(x.entries().get(0).file())).isEqualTo(entries.get("q1/standup.vtt"));
            assertThat(x.entries().get(0).file().getFileName().toString()).endsWith(".vtt");
            assertThat(x.notes()).containsExactly(
                    "calls.zip!/__MACOSX/q1/._standup.vtt: passed over (macOS metadata)",
                    "calls.zip!/q1/.DS_Store: passed over (hidden file)",
                    "calls.zip!/q1/slides.pdf: passed over (not a supported file type)");
            assertThat(leftInTemp()).hasSize(2);
        }
        assertThat(leftInTemp()).as("closing deletes the extracted files").isEmpty();
        assertThat(temp).isEmptyDirectory();
    }

    @Test
    void zipSlipPathsRefuseTheArchiveAndWriteNothing() throws IOException {
        for (String evil : List.of("../../evil.txt", "/etc/evil.txt", "ok/../../evil.txt", "C:\\evil.txt", "a\\..\\..\\evil.txt")) {
            Map<String, byte[]> entries = new LinkedHashMap<>();
            entries.put("good.txt", "Ann: hi".getBytes(UTF_8));
            entries.put(evil, "Ann: gotcha".getBytes(UTF_8));

            ZipArchive.Refused r = (ZipArchive.Refused) extract(Zips.of(entries), ZipLimits.ofDefaults());

            assertThat(r.message()).as(evil).startsWith("calls.zip: refused: entry \"" + evil + "\" points outside")
                    .contains("zip-slip");
            assertThat(temp).isEmptyDirectory();
            assertThat(temp.getParent().resolve("evil.txt")).doesNotExist();
        }
    }

    @Test
    void moreEntriesThanTheLimitIsRefused() {
        Map<String, byte[]> entries = new LinkedHashMap<>();
        for (int i = 0; i < 4; i++) entries.put("m" + i + ".txt", ("Ann: meeting " + i).getBytes(UTF_8));

        assertThat(extract(Zips.of(entries), new ZipLimits(4, 1 << 20))).isInstanceOf(ZipArchive.Extracted.class);
        ZipArchive.Refused r = (ZipArchive.Refused) extract(Zips.of(entries), new ZipLimits(3, 1 << 20));

        assertThat(r.message()).isEqualTo("calls.zip: refused: more than 3 entries (limit max-zip-entries); "
                + "split the archive or raise the limit");
    }

    @Test
    void moreUnzippedBytesThanTheLimitIsRefusedWhileStreaming() throws IOException {
        Random random = new Random(7);
        Map<String, byte[]> entries = new LinkedHashMap<>();
        for (int i = 0; i < 4; i++) {
            byte[] noise = new byte[1 << 20];
            random.nextBytes(noise); // incompressible: the ratio is fine, only the total is too much
            entries.put("m" + i + ".txt", noise);
        }
        ZipArchive.Refused r = (ZipArchive.Refused) extract(Zips.of(entries), new ZipLimits(1000, 3L << 20));

        assertThat(r.message()).isEqualTo("calls.zip: refused: it unzips to more than 3 MiB (limit max-unzipped-bytes); "
                + "split the archive or raise the limit");
        assertThat(r.unzippedBytesRead()).isBetween(3L << 20, (3L << 20) + 64 * 1024);
        assertThat(temp).isEmptyDirectory();
    }

    @Test
    void aZipBombIsRefusedAfterAboutOneMebibyteInBoundedTime() throws IOException {
        // 4 entries of 4 GiB of zeros each (16 GiB in all) in about 4 MB; the headers lie about the sizes.
        Path bomb = Zips.bomb(Files.createTempFile("bomb", ".zip"), List.of("a.txt", "b.txt", "c.txt", "d.txt"), 4095, true);
        try {
            long started = System.nanoTime();
            ZipArchive.Extraction result;
            try (InputStream in = Files.newInputStream(bomb)) {
                result = ZipArchive.extract(in, "bomb.zip", TRANSCRIPTS, ZipLimits.ofDefaults(), temp);
            }
            Duration took = Duration.ofNanos(System.nanoTime() - started);

            ZipArchive.Refused r = (ZipArchive.Refused) result;
            assertThat(r.message()).isEqualTo("bomb.zip: refused: entry \"a.txt\" unzips to more than 100 times its "
                    + "compressed size, which is how ZIP bombs look");
            assertThat(r.unzippedBytesRead()).isLessThan(2L << 20);
            assertThat(took).isLessThan(Duration.ofSeconds(20));
            assertThat(temp).isEmptyDirectory();
        } finally {
            Files.delete(bomb);
        }
    }

    @Test
    void aBombWithHonestHeadersIsRefusedBeforeUnzippingAByte() throws IOException {
        Path bomb = Zips.bomb(temp.resolve("bomb.zip"), List.of("notes/a.txt"), 1000, false);
        try (InputStream in = Files.newInputStream(bomb)) {
            ZipArchive.Refused r = (ZipArchive.Refused) ZipArchive.extract(in, "bomb.zip", TRANSCRIPTS,
                    ZipLimits.ofDefaults(), temp.resolve("x"));
            assertThat(r.message()).contains("entry \"notes/a.txt\" unzips to more than 100 times");
            assertThat(r.unzippedBytesRead()).isZero();
        }
        assertThat(temp.resolve("x")).isEmptyDirectory();
    }

    @Test
    void aBombInAPassedOverEntryIsRefusedToo() throws IOException {
        Path bomb = Zips.bomb(temp.resolve("bomb.zip"), List.of("video.bin"), 4095, true);
        try (InputStream in = Files.newInputStream(bomb)) {
            ZipArchive.Refused r = (ZipArchive.Refused) ZipArchive.extract(in, "bomb.zip", TRANSCRIPTS,
                    ZipLimits.ofDefaults(), temp.resolve("x"));
            assertThat(r.message()).contains("entry \"video.bin\" unzips to more than 100 times");
        }
    }

    @Test
    void smallFilesOfRepeatedTextAreNotMistakenForBombs() {
        byte[] repetitive = "Ann: yes.\n".repeat(50_000).getBytes(UTF_8); // 500 KB, compresses far beyond 100:1
        ZipArchive.Extraction x = extract(Zips.of(Map.of("yes.txt", repetitive)), ZipLimits.ofDefaults());

        assertThat(x).isInstanceOf(ZipArchive.Extracted.class);
        ((ZipArchive.Extracted) x).close();
    }

    @Test
    void aTruncatedArchiveIsRefusedNamingTheLastEntryRead() {
        Map<String, byte[]> entries = new LinkedHashMap<>();
        Random random = new Random(3);
        for (String name : List.of("a.txt", "b.txt")) {
            byte[] noise = new byte[100_000];
            random.nextBytes(noise);
            entries.put(name, noise);
        }
        byte[] zip = Zips.of(entries);

        ZipArchive.Refused r = (ZipArchive.Refused) extract(Arrays.copyOf(zip, zip.length / 2 + 1000), ZipLimits.ofDefaults());

        assertThat(r.message()).startsWith("calls.zip: cannot read the ZIP archive (after entry \"b.txt\"): ")
                .endsWith("check that the file is a complete, unencrypted ZIP archive with UTF-8 entry names");
        assertThat(temp).isEmptyDirectory();
    }

    @Test
    void zipsAreRecognisedByTheirFirstBytes() {
        assertThat(ZipArchive.looksLikeZip(Zips.of(Map.of("a.txt", new byte[1])))).isTrue();
        assertThat(ZipArchive.looksLikeZip(Zips.of(Map.of()))).isTrue();
        assertThat(ZipArchive.looksLikeZip("WEBVTT".getBytes(UTF_8))).isFalse();
        assertThat(ZipArchive.looksLikeZip(new byte[]{'P', 'K'})).isFalse();
    }
}
