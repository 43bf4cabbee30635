package io.minutes.core.ingest;

import io.minutes.core.domain.Failure;
import io.minutes.core.port.BlobStore;
import io.minutes.core.port.BatchStore.NewMeeting;

import java.io.BufferedInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.DigestInputStream;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Optional;
import java.util.zip.ZipFile;

/**
 * The inputs of a run read and parsed into meetings to store, with the run key: a hash of what is
 * asked of them (provider, model, analysis version, redaction, tier, on-duplicate: {@code askedFor}) and
 * every input's name and bytes, so running the same command on the same files finds the same batch
 * and resumes it, while a changed file or a changed ask makes a new batch. A ZIP archive is read like
 * a folder: each supported entry is one meeting whose source is {@code archive.zip!/path/in/archive};
 * an archive refused whole (limits, zip-slip, unreadable) is one failed meeting naming it, an archive with nothing to
 * read is one skipped meeting, and an archive inside an archive is one failed meeting naming it: every input is an
 * item. What a file is comes from its bytes first, its name second (a WebVTT file named .zip is read as WebVTT). {@code notes}
 * lists the archive entries passed over. Titles come from file names, so they are not compared when
 * deduplicating: only the content is ({@link NewMeeting#untitled()}). A recording (recognised by its first bytes, wherever it comes
 * from) is streamed into the {@link BlobStore}, never read whole into memory, and keyed by its SHA-256.
 */
public record PreparedBatch(String runKey, List<NewMeeting> meetings, List<String> notes) {

    public static PreparedBatch of(List<InputFile> files, Ingestor ingestor, String askedFor, BlobStore blobs) {
        return of(files, ingestor, ZipLimits.ofDefaults(), askedFor, blobs);
    }

    public static PreparedBatch of(List<InputFile> files, Ingestor ingestor, ZipLimits zipLimits, String askedFor,
                                   BlobStore blobs) {
        return of(files, ingestor, zipLimits, askedFor, blobs, Path.of(System.getProperty("java.io.tmpdir")));
    }

    /**
     * @param blobs      where recordings are kept until transcribed
     * @param tempFolder where archives are extracted while their entries are read; emptied again before returning
     */
    public static PreparedBatch of(List<InputFile> files, Ingestor ingestor, ZipLimits zipLimits, String askedFor,
                                   BlobStore blobs, Path tempFolder) {
        MessageDigest runKey = sha256();
        runKey.update(("asked=" + askedFor + "\n").getBytes(StandardCharsets.UTF_8));
        List<NewMeeting> meetings = new ArrayList<>();
        List<String> notes = new ArrayList<>();
        for (InputFile file : files) add(file, ingestor, zipLimits, blobs, tempFolder, runKey, meetings, notes);
        return new PreparedBatch(HexFormat.of().formatHex(runKey.digest()), meetings, notes);
    }

    /** The meetings one file holds, read as {@link #of} reads it: how the service reads an upload. */
    public static List<NewMeeting> meetingsOf(InputFile file, Ingestor ingestor, ZipLimits zipLimits, BlobStore blobs) {
        List<NewMeeting> meetings = new ArrayList<>();
        add(file, ingestor, zipLimits, blobs, Path.of(System.getProperty("java.io.tmpdir")), sha256(), meetings, new ArrayList<>());
        return meetings;
    }

    private static void add(InputFile file, Ingestor ingestor, ZipLimits zipLimits, BlobStore blobs, Path tempFolder,
                            MessageDigest runKey, List<NewMeeting> meetings, List<String> notes) {
        if (isArchive(file.path())) {
            addArchive(file, ingestor, zipLimits, blobs, tempFolder, runKey, meetings, notes);
        } else {
            meetings.add(prepareFile(file.path(), file.source(), ingestor, blobs, runKey));
        }
    }

    /** One file of a folder, a file named on the command line, or one extracted entry of an archive. */
    private static NewMeeting prepareFile(Path path, String source, Ingestor ingestor, BlobStore blobs, MessageDigest runKey) {
        byte[] bytes;
        try {
            Optional<IngestResult.Audio> audio = ingestor.audio(source, head(path));
            if (audio.isPresent()) {
                String key = keepRecording(path, blobs);
                runKey.update((source + "\n").getBytes(StandardCharsets.UTF_8));
                runKey.update(HexFormat.of().parseHex(key));
                return NewMeeting.audio(source, audio.get().title(), key, key, audio.get().mediaType()).untitled();
            }
            String tooLarge = ingestor.tooLarge(source, Files.size(path));
            if (tooLarge != null) {
                runKey.update((source + "\ntoo large " + Files.size(path) + "\n").getBytes(StandardCharsets.UTF_8));
                return NewMeeting.unreadable(source, Ingestor.titleOf(source), Failure.of(Failure.Cause.INPUT, tooLarge));
            }
            bytes = Files.readAllBytes(path);
        } catch (IOException | OutOfMemoryError e) {
            runKey.update((source + "\nunreadable\n").getBytes(StandardCharsets.UTF_8));
            return NewMeeting.unreadable(source, source,
                    Failure.of(Failure.Cause.INPUT, source + ": cannot read the file: " + e.getMessage()));
        }
        runKey.update((source + "\n").getBytes(StandardCharsets.UTF_8));
        runKey.update(sha256().digest(bytes));
        return switch (ingestor.ingest(source, bytes)) {
            // a title made up from a file name is no identity (week1/standup.txt is not week2/standup.txt)
            case IngestResult.Ready r -> NewMeeting.ready(source, r.title(), r.contentHash(), r.transcript()).untitled().dated(r.date());
            case IngestResult.Skipped s -> NewMeeting.skipped(source, s.title(), s.reason());
            case IngestResult.Unreadable u -> NewMeeting.unreadable(source, u.title(), Failure.of(Failure.Cause.INPUT, u.message()));
            case IngestResult.Audio a -> NewMeeting.unreadable(source, a.title(), Failure.of(Failure.Cause.INPUT, 
                    source + ": a recording that was first read as text; please report it with the file attached"));
        };
    }

    private static void addArchive(InputFile archive, Ingestor ingestor, ZipLimits limits, BlobStore blobs,
                                   Path tempFolder, MessageDigest runKey, List<NewMeeting> meetings, List<String> notes) {
        String source = archive.source();
        MessageDigest archiveDigest = sha256();
        ZipArchive.Extraction extraction;
        try (InputStream in = new DigestInputStream(new BufferedInputStream(Files.newInputStream(archive.path())), archiveDigest)) {
            extraction = ZipArchive.extract(in, source, InputFile::isSupported, limits, tempFolder);
        } catch (IOException e) {
            extraction = new ZipArchive.Refused(source + ": cannot read the file: " + e.getMessage(), 0);
        }
        switch (extraction) {
            case ZipArchive.Refused refused -> {
                runKey.update((source + "\nrefused\n").getBytes(StandardCharsets.UTF_8));
                runKey.update(archiveDigest.digest());
                meetings.add(NewMeeting.unreadable(source, Ingestor.titleOf(source), Failure.of(Failure.Cause.INPUT, refused.message())));
            }
            case ZipArchive.Extracted extracted -> {
                try (extracted) {
                    notes.addAll(extracted.notes());
                    if (extracted.entries().isEmpty()) {
                        runKey.update((source + "\nnothing inside\n").getBytes(StandardCharsets.UTF_8));
                        runKey.update(archiveDigest.digest());
                        String passedOver = extracted.notes().isEmpty() ? "" : " (" + String.join("; ", extracted.notes()) + ")";
                        meetings.add(NewMeeting.skipped(source, Ingestor.titleOf(source), source
                                + ": no transcripts or recordings inside the ZIP archive" + passedOver));
                    }
                    for (ZipArchive.Entry entry : extracted.entries()) {
                        String entrySource = source + "!/" + entry.name();
                        if (isArchive(entry.file())) {
                            runKey.update((entrySource + "\nnested archive\n").getBytes(StandardCharsets.UTF_8));
                            meetings.add(NewMeeting.unreadable(entrySource, Ingestor.titleOf(entry.name()), Failure.of(Failure.Cause.INPUT, 
                                    entrySource + ": a ZIP archive inside a ZIP archive is not opened; unzip the outer "
                                            + "archive and give the inner one to Minutes on its own")));
                            continue;
                        }
                        meetings.add(prepareFile(entry.file(), entrySource, ingestor, blobs, runKey));
                    }
                }
            }
        }
    }

    /**
     * A ZIP archive by its first bytes, whatever its name, unless it is a Word file (also a ZIP, holding
     * word/document.xml, read as one transcript). A file named .zip that is not a ZIP is read for what it is.
     */
    static boolean isArchive(Path file) {
        try (InputStream in = Files.newInputStream(file)) {
            if (!ZipArchive.looksLikeZip(in.readNBytes(4))) return false;
        } catch (IOException e) {
            return false; // reading it as a file reports the problem
        }
        return !isWordFile(file);
    }

    private static boolean isWordFile(Path file) {
        try (ZipFile zip = new ZipFile(file.toFile())) {
            return zip.getEntry("word/document.xml") != null;
        } catch (IOException | RuntimeException e) {
            return false; // a damaged ZIP is refused, with its problem, as an archive
        }
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
