package io.minutes.app.cli;

import static java.nio.charset.StandardCharsets.UTF_8;
import static org.assertj.core.api.Assertions.assertThat;

import io.minutes.core.ingest.Docx;
import io.minutes.core.ingest.Ingestor;
import io.minutes.core.ingest.PreparedBatch;
import io.minutes.core.ingest.InputFile;
import io.minutes.core.ingest.ZipLimits;
import io.minutes.core.ingest.Zips;
import io.minutes.core.port.BatchStore.NewMeeting;
import io.minutes.store.blob.FolderBlobStore;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** ZIP archives read like folders: one meeting per supported entry, a refused archive as one failed meeting. */
class PreparedBatchZipTest {

    private static final String GOOD_VTT = PreparedBatchZipTestArchives.GOOD_VTT;

    @TempDir
    Path work;

    private Path temp() throws IOException {
        return Files.createDirectories(work.resolve("tmp"));
    }

    private PreparedBatch prepare(ZipLimits limits, Path... files) throws IOException {
        List<InputFile> inputs = Inputs.collect(List.of(files)).files();
        return PreparedBatch.of(inputs, new Ingestor(Ingestor.DEFAULT_MIN_TRANSCRIPT_CHARS), limits, "local", new FolderBlobStore(work.resolve("blobs")), temp());
    }

    @Test
    void eachSupportedEntryIsOneMeetingAndAMalformedOneFailsAloneNamingEntryAndLine() throws IOException {
        Path zip = Files.write(work.resolve("november.zip"), Zips.of(PreparedBatchZipTestArchives.goodAndBad()));
        Path loose = Files.writeString(work.resolve("standup.vtt"), GOOD_VTT);

        PreparedBatch batch = prepare(ZipLimits.ofDefaults(), zip, loose);

        assertThat(batch.meetings()).extracting(NewMeeting::source).containsExactly(
                "november.zip!/2026-11/planning.vtt", "november.zip!/2026-11/broken.vtt",
                "november.zip!/2026-11/retro.docx", "standup.vtt");
        assertThat(batch.meetings().get(0).transcript().segments()).hasSize(2);
        assertThat(batch.meetings().get(0).title()).isEqualTo("planning");
        assertThat(batch.meetings().get(1).failure().message()).isEqualTo("november.zip!/2026-11/broken.vtt: line 3: "
                + "expected a cue timing like \"00:00:01.000 --> 00:00:04.000\", found \"00:00:01.000 -> 00:00:05.000\"");
        assertThat(batch.meetings().get(2).transcript().format()).isEqualTo("docx");
        assertThat(batch.meetings().get(2).transcript().segments()).extracting(s -> s.speaker()).containsExactly("Carol", "Dan");
        assertThat(batch.meetings().get(3).failure()).isNull();
        assertThat(batch.notes()).containsExactly(
                "november.zip!/__MACOSX/2026-11/._planning.vtt: passed over (macOS metadata)",
                "november.zip!/2026-11/recording.pdf: passed over (not a supported file type)");
        assertThat(temp()).as("extracted files are deleted").isEmptyDirectory();
    }

    @Test
    void aRefusedArchiveIsOneFailedMeetingNamingTheLimitAndTheOtherInputsGoOn() throws IOException {
        Path bomb = Zips.bomb(work.resolve("bomb.zip"), List.of("a.txt", "b.txt"), 4095, true);
        Path many = Files.write(work.resolve("many.zip"), Zips.of(PreparedBatchZipTestArchives.goodAndBad()));
        Path loose = Files.writeString(work.resolve("standup.vtt"), GOOD_VTT);

        PreparedBatch batch = prepare(new ZipLimits(3, 1L << 30), bomb, many, loose);

        assertThat(batch.meetings()).extracting(NewMeeting::source).containsExactly("bomb.zip", "many.zip", "standup.vtt");
        assertThat(batch.meetings().get(0).failure().message()).isEqualTo("bomb.zip: refused: entry \"a.txt\" unzips "
                + "to more than 100 times its compressed size, which is how ZIP bombs look");
        assertThat(batch.meetings().get(1).failure().message()).isEqualTo("many.zip: refused: more than 3 entries "
                + "(limit max-zip-entries); split the archive or raise the limit");
        assertThat(batch.meetings().get(2).transcript()).isNotNull();
        assertThat(temp()).isEmptyDirectory();
    }

    @Test
    void theRunKeyFollowsTheEntriesSoAChangedEntryIsANewBatch() throws IOException {
        Path zip = work.resolve("calls.zip");
        Files.write(zip, Zips.of(PreparedBatchZipTestArchives.goodAndBad()));
        String first = prepare(ZipLimits.ofDefaults(), zip).runKey();
        assertThat(prepare(ZipLimits.ofDefaults(), zip).runKey()).isEqualTo(first);

        Map<String, byte[]> changed = PreparedBatchZipTestArchives.goodAndBad();
        changed.put("2026-11/planning.vtt", GOOD_VTT.replace("March", "April").getBytes(UTF_8));
        Files.write(zip, Zips.of(changed));

        assertThat(prepare(ZipLimits.ofDefaults(), zip).runKey()).isNotEqualTo(first);
    }

    @Test
    void aZipInAFolderIsOpenedAndAWordFileIsNotMistakenForOne() throws IOException {
        Path in = Files.createDirectories(work.resolve("in"));
        Files.write(in.resolve("a.zip"), Zips.of(Map.of("x/standup.vtt", GOOD_VTT.getBytes(UTF_8))));
        Files.write(in.resolve("b.docx"), Docx.of(List.of("Ann: " + "We reviewed the quarterly numbers and agreed on the plan. ".repeat(3))));
        Files.write(in.resolve("c-archive-without-extension"), Zips.of(Map.of("y.txt", "Ann: hi".getBytes(UTF_8))));

        PreparedBatch batch = prepare(ZipLimits.ofDefaults(), in);

        assertThat(batch.meetings()).extracting(NewMeeting::source).containsExactly("a.zip!/x/standup.vtt", "b.docx");
        assertThat(batch.meetings().get(1).transcript().segments()).extracting(s -> s.speaker()).containsExactly("Ann");
    }

    /** Issue 14: these four were accepted as {"total":0} and got no item in batch.json. */
    @Test
    void aCorruptZipAnEmptyZipAZipHoldingOnlyAZipAndAWebVttNamedZipAreEachAnItem() throws IOException {
        byte[] corrupt = new byte[104];
        corrupt[0] = 'P';
        corrupt[1] = 'K';
        corrupt[2] = 3;
        corrupt[3] = 4;
        Path corruptZip = Files.write(work.resolve("corrupt.zip"), corrupt);
        Path emptyZip = Files.write(work.resolve("empty.zip"), Zips.of(Map.of()));
        Path nested = Files.write(work.resolve("nested.zip"),
                Zips.of(Map.of("inner.zip", Zips.of(Map.of("a.vtt", GOOD_VTT.getBytes(UTF_8))))));
        Path vttNamedZip = Files.writeString(work.resolve("yt.zip"), GOOD_VTT);

        PreparedBatch batch = prepare(ZipLimits.ofDefaults(), corruptZip, emptyZip, nested, vttNamedZip);

        assertThat(batch.meetings()).extracting(NewMeeting::source)
                .containsExactly("corrupt.zip", "empty.zip", "nested.zip!/inner.zip", "yt.zip");
        assertThat(batch.meetings().get(0).failure().message()).startsWith("corrupt.zip: ")
                .contains("damaged").doesNotContain("null");
        assertThat(batch.meetings().get(1).skipReason()).startsWith("empty.zip: no transcripts or recordings inside");
        assertThat(batch.meetings().get(2).failure().message()).isEqualTo("nested.zip!/inner.zip: a ZIP archive inside a "
                + "ZIP archive is not opened; unzip the outer archive and give the inner one to Minutes on its own");
        assertThat(batch.meetings().get(3).transcript().format()).isEqualTo("vtt");
        assertThat(batch.meetings()).allSatisfy(m -> assertThat(String.valueOf(m.failure()) + m.skipReason())
                .doesNotContain("minutes run"));
        assertThat(temp()).isEmptyDirectory();
    }

    /** Issue 14: a 50 MB transcript took 127 s and 5 GB; over max-transcript-bytes it is refused before it is read. */
    @Test
    void aTranscriptOverMaxTranscriptBytesIsAFailedItemNamingItsSizeAndTheOtherInputsGoOn() throws IOException {
        Path huge = Files.writeString(work.resolve("huge.txt"), "Ann: we talked about the plan.\n".repeat(70_000));
        Path loose = Files.writeString(work.resolve("standup.vtt"), GOOD_VTT);
        List<InputFile> inputs = Inputs.collect(List.of(huge, loose)).files();

        PreparedBatch batch = PreparedBatch.of(inputs, new Ingestor(80, 1L << 20), ZipLimits.ofDefaults(), "local",
                new FolderBlobStore(work.resolve("blobs")), temp());

        assertThat(batch.meetings()).extracting(NewMeeting::source).containsExactly("huge.txt", "standup.vtt");
        assertThat(batch.meetings().get(0).failure().message()).isEqualTo("huge.txt: the transcript is 2.1 MiB, more "
                + "than the limit of 1 MiB for one transcript (setting max-transcript-bytes); split it into smaller files "
                + "or raise the setting");
        assertThat(batch.meetings().get(1).transcript()).isNotNull();
    }
}
