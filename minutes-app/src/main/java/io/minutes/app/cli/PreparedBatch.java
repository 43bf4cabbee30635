package io.minutes.app.cli;

import io.minutes.core.domain.Failure;
import io.minutes.core.ingest.IngestResult;
import io.minutes.core.ingest.Ingestor;
import io.minutes.core.ingest.MediaSniffer;
import io.minutes.core.port.BlobStore;
import io.minutes.core.port.MeetingStore.NewMeeting;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.file.Path;
import java.security.DigestInputStream;
import java.util.Optional;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;

/**
 * The inputs of a run read and parsed into meetings to store, with the run key: a hash of the
 * provider and every input's name and bytes, so running the same command on the same files finds
 * the same batch and resumes it, while a changed file makes a new batch.
 */
public record PreparedBatch(String runKey, List<NewMeeting> meetings) {

    public static PreparedBatch of(List<Inputs.InputFile> files, Ingestor ingestor, String provider, BlobStore blobs) {
        MessageDigest runKey = sha256();
        runKey.update(("provider=" + provider + "\n").getBytes(StandardCharsets.UTF_8));
        List<NewMeeting> meetings = new ArrayList<>();
        for (Inputs.InputFile file : files) {
            byte[] bytes;
            try {
                Optional<IngestResult.Audio> audio = ingestor.audio(file.source(), head(file.path()));
                if (audio.isPresent()) {
                    String key = keepRecording(file.path(), blobs);
                    runKey.update((file.source() + "\n").getBytes(StandardCharsets.UTF_8));
                    runKey.update(HexFormat.of().parseHex(key));
                    meetings.add(NewMeeting.audio(file.source(), audio.get().title(), key, key, audio.get().mediaType()));
                    continue;
                }
                bytes = Files.readAllBytes(file.path());
            } catch (IOException | OutOfMemoryError e) {
                runKey.update((file.source() + "\nunreadable\n").getBytes(StandardCharsets.UTF_8));
                meetings.add(NewMeeting.unreadable(file.source(), file.source(),
                        Failure.permanent(file.source() + ": cannot read the file: " + e.getMessage())));
                continue;
            }
            runKey.update((file.source() + "\n").getBytes(StandardCharsets.UTF_8));
            runKey.update(sha256().digest(bytes));
            meetings.add(switch (ingestor.ingest(file.source(), bytes)) {
                case IngestResult.Ready r -> NewMeeting.ready(file.source(), r.title(), r.contentHash(), r.transcript());
                case IngestResult.Skipped s -> NewMeeting.skipped(file.source(), s.title(), s.reason());
                case IngestResult.Unreadable u -> NewMeeting.unreadable(file.source(), u.title(), Failure.permanent(u.message()));
                case IngestResult.Audio a -> NewMeeting.unreadable(file.source(), a.title(), Failure.permanent(
                        file.source() + ": a recording that was first read as text; please report it with the file attached"));
            });
        }
        return new PreparedBatch(HexFormat.of().formatHex(runKey.digest()), meetings);
    }

    /** The first bytes of the file, enough to recognise a recording. */
    private static byte[] head(Path file) throws IOException {
        try (InputStream in = Files.newInputStream(file)) {
            return in.readNBytes(MediaSniffer.HEAD_BYTES);
        }
    }

    /**
     * Streams the recording into the blob store (never whole in memory) and returns its SHA-256; a
     * recording stored by an earlier run is hashed only, not copied again.
     */
    private static String keepRecording(Path file, BlobStore blobs) throws IOException {
        MessageDigest sha = sha256();
        try (InputStream in = new DigestInputStream(Files.newInputStream(file), sha)) {
            in.transferTo(OutputStream.nullOutputStream());
        }
        String key = HexFormat.of().formatHex(sha.digest());
        if (blobs.size(key).isEmpty()) {
            try (InputStream in = Files.newInputStream(file)) {
                key = blobs.put(in);
            }
        }
        return key;
    }

    private static MessageDigest sha256() {
        try {
            return MessageDigest.getInstance("SHA-256");
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("the JDK has no SHA-256", e);
        }
    }
}
