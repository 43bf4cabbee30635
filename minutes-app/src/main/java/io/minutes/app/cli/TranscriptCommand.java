package io.minutes.app.cli;

import io.minutes.core.ingest.IngestResult;
import io.minutes.core.ingest.Ingestor;
import io.minutes.core.ingest.TranscriptWriter;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

import java.io.IOException;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.concurrent.Callable;

/** {@code minutes transcript FILE --to srt}: reads any supported transcript and writes it in another format. */
@Command(name = "transcript", mixinStandardHelpOptions = true, sortOptions = false,
        description = {
                "Read a transcript (.vtt .srt .txt .md .json .docx, Zoom chat) and write it, normalised, as txt, srt, vtt or json.",
                "Turns of one speaker are merged, markup and noise tags ([Music], <laugh>) are taken out of the words "
                        + "(kept as [tags] after the text), and long turns become several captions.",
                "Exit status: 0 written, 1 the file could not be read or written in that format, 2 usage error."})
public final class TranscriptCommand implements Callable<Integer> {

    @Parameters(index = "0", paramLabel = "FILE", description = "The transcript to read.")
    Path file;

    @Option(names = "--to", paramLabel = "FORMAT", defaultValue = "txt",
            description = "txt, srt, vtt or json (default: ${DEFAULT-VALUE}). srt and vtt need a transcript with times.")
    String to;

    @Option(names = "--out", paramLabel = "FILE", description = "Write here instead of to stdout.")
    Path out;

    @Override
    public Integer call() throws IOException {
        PrintStream err = System.err;
        TranscriptWriter.Target target;
        try {
            target = TranscriptWriter.Target.of(to);
        } catch (IllegalArgumentException e) {
            err.println("minutes: --to: " + e.getMessage());
            return ExitStatus.USAGE;
        }
        if (!Files.isRegularFile(file)) {
            err.println("minutes: " + file + ": no such file");
            return ExitStatus.USAGE;
        }
        IngestResult result = new Ingestor(0).ingest(file.getFileName().toString(), Files.readAllBytes(file));
        if (!(result instanceof IngestResult.Ready ready)) {
            String why = result instanceof IngestResult.Unreadable u ? u.message()
                    : result instanceof IngestResult.Skipped ? file.getFileName() + ": no speech in it, nothing to convert"
                    : file.getFileName() + ": not a transcript (a recording?); only transcripts can be converted";
            err.println("minutes: " + why);
            return ExitStatus.FAILED_MEETINGS;
        }
        for (String warning : ready.transcript().warnings()) err.println("minutes: " + file.getFileName() + ": " + warning);
        String text;
        try {
            text = TranscriptWriter.write(ready.transcript(), ready.title(), target);
        } catch (IllegalArgumentException e) {
            err.println("minutes: " + file.getFileName() + ": " + e.getMessage());
            return ExitStatus.FAILED_MEETINGS;
        }
        if (out == null) {
            System.out.write(text.getBytes(StandardCharsets.UTF_8)); // UTF-8 whatever the terminal's locale says
            System.out.flush();
        } else {
            Path absolute = out.toAbsolutePath();
            Path tmp = absolute.resolveSibling(absolute.getFileName() + ".tmp");
            try {
                Files.createDirectories(absolute.getParent());
                Files.writeString(tmp, text, StandardCharsets.UTF_8);
                Files.move(tmp, absolute, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
            } catch (IOException e) {
                String why = e instanceof java.nio.file.FileSystemException f && f.getReason() != null ? f.getReason()
                        : e.getMessage();
                err.println("minutes: cannot write " + out + " (" + why + "); give --out a file in a folder you can write to");
                return ExitStatus.FAILED_MEETINGS;
            }
        }
        return ExitStatus.OK;
    }
}
