package io.minutes.core.ingest;

import io.minutes.core.domain.Segment;
import io.minutes.core.domain.Transcript;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * Reads one transcript file (WebVTT, SubRip, plain text, Markdown, Zoom chat, transcript JSON, Word) into an
 * {@link IngestResult}. Bad input never throws: it comes back as {@link IngestResult.Unreadable} with a message
 * naming the file, the line when known, and the problem; too little speech comes back as
 * {@link IngestResult.Skipped}. Thread-safe.
 */
public final class Ingestor {

    public static final int DEFAULT_MIN_TRANSCRIPT_CHARS = 80;
    /** 20 MiB of text is days of speech; a bigger file is an export gone wrong or an attack, and costs GBs to parse. */
    public static final long DEFAULT_MAX_TRANSCRIPT_BYTES = 20L << 20;

    private final int minTranscriptChars;
    private final long maxTranscriptBytes;

    /** @param minTranscriptChars transcripts with fewer characters of speech are skipped; 0 keeps everything */
    public Ingestor(int minTranscriptChars) {
        this(minTranscriptChars, DEFAULT_MAX_TRANSCRIPT_BYTES);
    }

    /** @param maxTranscriptBytes a transcript file (not a recording) over this many bytes is refused unread */
    public Ingestor(int minTranscriptChars, long maxTranscriptBytes) {
        if (minTranscriptChars < 0) {
            throw new IllegalArgumentException("minTranscriptChars must be >= 0, was " + minTranscriptChars);
        }
        if (maxTranscriptBytes < 1) {
            throw new IllegalArgumentException("maxTranscriptBytes must be >= 1, was " + maxTranscriptBytes);
        }
        this.minTranscriptChars = minTranscriptChars;
        this.maxTranscriptBytes = maxTranscriptBytes;
    }

    public long maxTranscriptBytes() {
        return maxTranscriptBytes;
    }

    /** Why a transcript file of {@code size} bytes is refused, or null when it is within the limit. */
    public String tooLarge(String sourceName, long size) {
        if (size <= maxTranscriptBytes) return null;
        return name(sourceName) + ": the transcript is " + ZipArchive.bytes(size) + ", more than the limit of "
                + ZipArchive.bytes(maxTranscriptBytes) + " for one transcript (setting max-transcript-bytes); split it "
                + "into smaller files or raise the setting";
    }

    /**
     * Recognises a recording from the first {@link MediaSniffer#HEAD_BYTES} of a file, so a caller can
     * stream it into the BlobStore instead of reading it whole; empty for anything else.
     */
    public Optional<IngestResult.Audio> audio(String sourceName, byte[] head) {
        return MediaSniffer.sniff(head).map(format -> new IngestResult.Audio(Titles.fromFileName(name(sourceName)), format));
    }

    /** The title a meeting gets from its file name or path, e.g. for a file that could not be read at all. */
    public static String titleOf(String sourceName) {
        return Titles.fromFileName(sourceName);
    }

    public IngestResult ingest(String sourceName, byte[] bytes) {
        String name = name(sourceName);
        String title = Titles.fromFileName(name);
        Optional<IngestResult.Audio> audio = audio(name, bytes);
        if (audio.isPresent()) return audio.get();
        String tooLarge = tooLarge(name, bytes == null ? 0 : bytes.length);
        if (tooLarge != null) return new IngestResult.Unreadable(title, tooLarge);
        try {
            return read(name, title, bytes == null ? new byte[0] : bytes);
        } catch (ParseException e) {
            String place = e.place();
            return new IngestResult.Unreadable(title, name + ": " + (place.isEmpty() ? "" : place + ": ") + e.problem());
        } catch (RuntimeException | StackOverflowError e) {
            // A parser bug must not take the batch down; say so plainly so it gets reported.
            return new IngestResult.Unreadable(title, name + ": could not be read because of an internal error ("
                    + e + "); please report it with the file attached");
        }
    }

    private static String name(String sourceName) {
        return sourceName == null || sourceName.isBlank() ? "(unnamed)" : sourceName.strip();
    }

    private IngestResult read(String name, String title, byte[] bytes) throws ParseException {
        if (ZipArchive.looksLikeZip(bytes)) return readZip(name, title, bytes);
        TextDecoder.Decoded decoded = TextDecoder.decode(bytes);
        String text = decoded.text().startsWith("\uFEFF") ? decoded.text().substring(1) : decoded.text();
        if (TextDecoder.looksBinary(text)) {
            return new IngestResult.Unreadable(title, name + ": this is not a text transcript (it looks like binary "
                    + "data); supported formats are " + Format.SUPPORTED);
        }
        if (text.isBlank()) return tooShort(name, title, 0);
        List<String> lines = Lines.split(text);
        Format format = Format.detect(text, lines, Titles.extension(name));
        if (format == null) {
            return new IngestResult.Unreadable(title, name + ": unknown format (extension \"."
                    + Titles.extension(name) + "\" and content not recognised); supported formats are "
                    + Format.SUPPORTED);
        }
        ParsedTranscript parsed = switch (format) {
            case VTT -> VttParser.parse(lines);
            case SRT -> SrtParser.parse(lines);
            case JSON -> JsonTranscriptParser.parse(text);
            case CHAT -> ZoomChatParser.parse(lines);
            case MARKDOWN -> PlainTextParser.parse(lines, true);
            case TEXT -> PlainTextParser.parse(lines, false);
        };
        return finish(name, title, parsed, decoded.warnings());
    }

    /** A Word file is a ZIP holding word/document.xml; other archives hold many meetings and are opened elsewhere. */
    private IngestResult readZip(String name, String title, byte[] bytes) throws ParseException {
        if (!DocxReader.isDocx(bytes)) {
            return new IngestResult.Unreadable(title, name + ": this is a ZIP archive of many files, not one transcript; "
                    + "a batch (minutes run, or an upload) reads every transcript inside it as its own meeting");
        }
        List<String> lines = DocxReader.lines(bytes);
        List<String> captions = DocxReader.timedCaptionsAsVtt(lines);
        ParsedTranscript text = captions != null ? VttParser.parse(captions) : PlainTextParser.parse(lines, false);
        return finish(name, title, new ParsedTranscript("docx", null, text.pieces(), text.warnings()), List.of());
    }

    private IngestResult finish(String name, String title, ParsedTranscript parsed, List<String> decodingWarnings) {
        String finalTitle = parsed.title() != null ? parsed.title() : title;
        List<Segment> segments = Normaliser.normalise(parsed.pieces());
        List<String> warnings = new ArrayList<>(decodingWarnings);
        warnings.addAll(parsed.warnings());
        Transcript transcript = new Transcript(parsed.format(), segments, warnings);
        int chars = transcript.characterCount();
        if (chars < minTranscriptChars) return tooShort(name, finalTitle, chars);
        return new IngestResult.Ready(finalTitle, transcript, ContentHash.of(segments), parsed.date());
    }

    private IngestResult tooShort(String name, String title, int chars) {
        String found = chars == 0 ? "no speech found" : "only " + chars + " characters of speech found";
        if (minTranscriptChars == 0) return new IngestResult.Skipped(title, name + ": " + found);
        return new IngestResult.Skipped(title, name + ": " + found + "; at least " + minTranscriptChars
                + " characters of speech are needed to make minutes (setting min-transcript-chars)");
    }
}
