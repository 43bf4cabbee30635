package io.minutes.app.cli;

import io.minutes.core.ingest.Ingestor;
import io.minutes.core.ingest.PreparedBatch;
import io.minutes.core.ingest.ZipLimits;
import io.minutes.core.port.BatchStore.NewMeeting;
import io.minutes.store.blob.FolderBlobStore;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.ByteArrayOutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.util.HexFormat;
import java.util.List;
import java.util.Random;
import java.util.zip.ZipEntry;
import java.util.zip.ZipOutputStream;

import static org.assertj.core.api.Assertions.assertThat;

/** Recordings among the inputs: recognised by their bytes, kept in the blob store, loose or inside a ZIP. */
class PreparedBatchRecordingsTest {
    @TempDir
    Path work;

    private static byte[] mp3Bytes(long seed) {
        byte[] bytes = new byte[50_000];
        new Random(seed).nextBytes(bytes);
        System.arraycopy(new byte[]{'I', 'D', '3', 4, 0, 0, 0, 0, 0, 0}, 0, bytes, 0, 10);
        return bytes;
    }

    private static String sha256(byte[] bytes) throws Exception {
        return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(bytes));
    }

    private PreparedBatch prepare(FolderBlobStore blobs, Path... files) throws Exception {
        return PreparedBatch.of(Inputs.collect(List.of(files)).files(), new Ingestor(Ingestor.DEFAULT_MIN_TRANSCRIPT_CHARS), ZipLimits.ofDefaults(), "local",
                blobs, Files.createDirectories(work.resolve("tmp")));
    }

    @Test
    void aRecordingIsKeptInTheBlobStoreUnderItsSha256WhateverItsExtension() throws Exception {
        byte[] mp3 = mp3Bytes(1);
        Path in = Files.createDirectories(work.resolve("in"));
        Files.write(in.resolve("board call.m4a"), mp3);
        FolderBlobStore blobs = new FolderBlobStore(work.resolve("blobs"));

        NewMeeting meeting = prepare(blobs, in).meetings().getFirst();

        assertThat(meeting.source()).isEqualTo("board call.m4a");
        assertThat(meeting.title()).isEqualTo("board call");
        assertThat(meeting.transcript()).isNull();
        assertThat(meeting.contentHash()).isEqualTo(sha256(mp3));
        assertThat(meeting.audio().blobKey()).isEqualTo(sha256(mp3));
        assertThat(meeting.audio().mediaType()).as("decided by the bytes, not the name").isEqualTo("audio/mpeg");
        try (var stored = blobs.open(sha256(mp3)).orElseThrow()) {
            assertThat(stored.readAllBytes()).isEqualTo(mp3);
        }
    }

    @Test
    void aRecordingInsideAZipIsOneMeetingLikeAnyEntry() throws Exception {
        byte[] mp3 = mp3Bytes(2);
        ByteArrayOutputStream zip = new ByteArrayOutputStream();
        try (ZipOutputStream out = new ZipOutputStream(zip)) {
            out.putNextEntry(new ZipEntry("2026-11/standup.mp3"));
            out.write(mp3);
            out.closeEntry();
            out.putNextEntry(new ZipEntry("2026-11/notes.pdf"));
            out.write("%PDF-1.4".getBytes());
            out.closeEntry();
        }
        Path archive = Files.write(work.resolve("november.zip"), zip.toByteArray());
        FolderBlobStore blobs = new FolderBlobStore(work.resolve("blobs"));

        PreparedBatch batch = prepare(blobs, archive);

        assertThat(batch.meetings()).singleElement().satisfies(m -> {
            assertThat(m.source()).isEqualTo("november.zip!/2026-11/standup.mp3");
            assertThat(m.audio().blobKey()).isEqualTo(sha256(mp3));
        });
        assertThat(blobs.size(sha256(mp3))).contains((long) mp3.length);
    }

    @Test
    void theSameRecordingsGiveTheSameRunKeyAndAChangedOneANewOne() throws Exception {
        Path in = Files.createDirectories(work.resolve("in"));
        Files.write(in.resolve("call.mp3"), mp3Bytes(3));
        FolderBlobStore blobs = new FolderBlobStore(work.resolve("blobs"));

        String first = prepare(blobs, in).runKey();
        String again = prepare(blobs, in).runKey();
        Files.write(in.resolve("call.mp3"), mp3Bytes(4));
        String changed = prepare(blobs, in).runKey();

        assertThat(again).isEqualTo(first);
        assertThat(changed).isNotEqualTo(first);
    }
}
