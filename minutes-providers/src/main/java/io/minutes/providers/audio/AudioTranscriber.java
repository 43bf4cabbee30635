package io.minutes.providers.audio;

import io.minutes.core.domain.Failure;
import io.minutes.core.domain.MediaFormat;
import io.minutes.core.domain.Segment;
import io.minutes.core.domain.Transcript;
import io.minutes.core.domain.TranscriptionUsage;
import io.minutes.core.io.TemporaryFolders;
import io.minutes.core.port.Analyzer;
import io.minutes.core.port.CallAdmission;
import io.minutes.core.port.Transcriber;
import io.minutes.core.port.TranscriberException;
import io.minutes.providers.cost.HeldAnswers;
import io.minutes.providers.http.RetryInPlace;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.Set;

/**
 * The {@link Transcriber} the pipeline calls: it copies the recording into a private temporary folder,
 * sends it as it is when the service takes it (format and size), and otherwise converts it with
 * ffmpeg to speech-sized MP3 (video loses its picture) and, when still over the upload limit, splits it
 * at silences into overlapping pieces, transcribes them in order and stitches them back with times
 * from the recording's start. Without ffmpeg, a recording that needs converting fails with what to install.
 * Each file sent (the whole recording, or each piece) is one call, admitted on its own by the
 * {@link CallAdmission} of the service it goes to, as 1 request.
 *
 * <p>A piece is never paid for twice: once a piece of a recording was transcribed, a later piece refused
 * (429) or failed for a passing reason is sent again in place ({@link RetryInPlace}), and the pieces
 * transcribed are held on this node until the recording's transcription ends ({@link HeldAnswers}), so
 * a meeting that still goes back to the queue and is tried again here sends only the pieces not heard yet.
 */
public final class AudioTranscriber implements Transcriber {
    private static final Logger log = LoggerFactory.getLogger(AudioTranscriber.class);
    static final double OVERLAP_SECONDS = 2.0;
    /** Pauses between sentences are about 0.3 s; shorter ones fall inside words. */
    static final double MIN_SILENCE_SECONDS = 0.25;
    static final int SILENCE_NOISE_DB = -35;
    /** Room left under the upload limit for the MP3 encoder's slack and the multipart envelope. */
    static final double FILL = 0.92;
    /**
     * Without ffmpeg to measure it, a compressed recording's length is guessed from its size at 16 kbit/s,
     * below what speech is usually recorded at, so the guess errs long and a budget reserves too much
     * rather than too little; a WAV at 16 kHz, 16-bit mono (the least a WAV of speech usually has).
     */
    static final int GUESS_BYTES_PER_SECOND = 2_000;
    static final int GUESS_WAV_BYTES_PER_SECOND = 32_000;
    /** Recordings whose transcribed pieces are held at once; far more than run at once on one node. */
    static final int HELD_RECORDINGS = 1_000;

    private final String name;
    private final FileTranscriber files;
    private final Optional<Ffmpeg> ffmpeg;
    private final long uploadLimitBytes;
    private final double maxSeconds;
    private final Set<MediaFormat> accepted;
    private final CallAdmission admission;
    /** The pieces heard of recordings not finished, by meeting and piece. */
    private final HeldAnswers<ChunkPlan.Piece, FileTranscriber.Heard> held = new HeldAnswers<>(HELD_RECORDINGS);

    /**
     * @param uploadLimitBytes the largest file {@code files} may be given ({@code Long.MAX_VALUE}: no limit)
     * @param maxSeconds       the longest audio {@code files} may be given ({@code Double.POSITIVE_INFINITY}: no
     *                         limit); checked only when ffmpeg can tell a recording's length
     * @param accepted         the formats {@code files} takes as they are; others are converted
     * @param admission        admits each file sent to {@code files}
     */
    public AudioTranscriber(String name, FileTranscriber files, Optional<Ffmpeg> ffmpeg, long uploadLimitBytes,
                            double maxSeconds, Set<MediaFormat> accepted, CallAdmission admission) {
        this.admission = admission;
        if (uploadLimitBytes < 64_000) throw new IllegalArgumentException("upload limit must be at least 64 KB, was " + uploadLimitBytes);
        if (!(maxSeconds > 4 * OVERLAP_SECONDS)) throw new IllegalArgumentException("longest piece must be over 8 s, was " + maxSeconds);
        this.name = name;
        this.files = files;
        this.ffmpeg = ffmpeg;
        this.uploadLimitBytes = uploadLimitBytes;
        this.maxSeconds = maxSeconds;
        this.accepted = Set.copyOf(accepted);
    }

    @Override
    public String name() {
        return name;
    }

    @Override
    public Result transcribe(Request request) throws TranscriberException {
        Path dir = null;
        try {
            dir = Files.createTempDirectory("minutes-audio-");
            Path input = copyInto(dir, request);
            Result result = transcribe(request, input, Files.size(input), dir);
            held.release(request.meetingId());
            return result;
        } catch (Ffmpeg.Refused e) {
            held.release(request.meetingId());
            throw new TranscriberException(Failure.of(Failure.Cause.INPUT, request.source() + ": the recording cannot be read: " + e.getMessage()), e);
        } catch (IOException e) {
            throw new TranscriberException(Failure.of(Failure.Cause.LOCAL_TRANSIENT, request.source() + ": " + e.getMessage()), e);
        } catch (TranscriberException e) {
            if (!e.failure().isTransient()) held.release(request.meetingId());
            throw e;
        } finally {
            deleteQuietly(dir);
        }
    }

    /**
     * What the recording, measured with ffmpeg (or guessed from its size without it), costs at the
     * service's price per minute, with the overlaps of the pieces it would be split into. A free service
     * (a local command, a model without a price) is not measured.
     */
    @Override
    public Estimate estimate(Request request) {
        if (!(files.costUsd(60) > 0)) return Estimate.NONE;
        double seconds = measuredSeconds(request);
        double maxPieceSeconds = Math.min(maxSeconds, Math.floor(uploadLimitBytes * FILL / Ffmpeg.SPEECH_BYTES_PER_SECOND));
        long pieces = Math.max(1, (long) Math.ceil(seconds / maxPieceSeconds));
        return new Estimate(seconds, files.costUsd(seconds + (pieces - 1) * 2 * OVERLAP_SECONDS));
    }

    /** The recording as a file in {@code dir}, where ffmpeg can read it. */
    private static Path copyInto(Path dir, Request request) throws IOException {
        Path input = dir.resolve("recording." + request.format().extension());
        try (InputStream in = request.audio().open()) {
            Files.copy(in, input, StandardCopyOption.REPLACE_EXISTING);
        }
        return input;
    }

    private double measuredSeconds(Request request) {
        double guess = request.sizeBytes() / (double) (request.format() == MediaFormat.WAV
                ? GUESS_WAV_BYTES_PER_SECOND : GUESS_BYTES_PER_SECOND);
        if (ffmpeg.isEmpty()) return guess;
        Path dir = null;
        try {
            dir = Files.createTempDirectory("minutes-estimate-");
            return ffmpeg.get().durationSeconds(copyInto(dir, request));
        } catch (IOException e) {
            log.warn("{}: could not measure the recording ({}); its length is guessed from its size", request.source(), e.getMessage());
            return guess;
        } finally {
            deleteQuietly(dir);
        }
    }

    private Result transcribe(Request request, Path input, long size, Path dir) throws TranscriberException, IOException {
        Double length = Double.isFinite(maxSeconds) && ffmpeg.isPresent() ? ffmpeg.get().durationSeconds(input) : null;
        String why = whyConvert(request.format(), size, length);
        if (why == null || (ffmpeg.isEmpty() && request.format().mayHoldVideo() && sendsAsIs(request.format(), size))) {
            FileTranscriber.Heard heard = admitted(input, request.format(), request.source(), false);
            double seconds = heard.audioSeconds() != null ? heard.audioSeconds() : probeOrZero(input);
            ChunkPlan.Piece whole = new ChunkPlan.Piece(0, 0, Math.max(seconds, lastEnd(heard.segments())), true);
            return result(List.of(new Stitcher.Heard(whole, heard.segments())), seconds, List.of());
        }
        Ffmpeg tool = ffmpeg.orElseThrow(() -> new TranscriberException(Failure.permanent(request.source() + " " + why
                + ", which needs ffmpeg, and ffmpeg is not installed: " + Ffmpeg.INSTALL_HINT)));
        double duration = length != null ? length : tool.durationSeconds(input);
        double maxPieceSeconds = Math.min(maxSeconds, Math.floor(uploadLimitBytes * FILL / Ffmpeg.SPEECH_BYTES_PER_SECOND));
        List<ChunkPlan.Piece> plan = duration <= maxPieceSeconds
                ? List.of(new ChunkPlan.Piece(0, 0, duration, true))
                : ChunkPlan.plan(duration, maxPieceSeconds, OVERLAP_SECONDS,
                        tool.silences(input, MIN_SILENCE_SECONDS, SILENCE_NOISE_DB));
        log.info("{} {}: sending {} of speech-sized MP3", request.source(), why,
                plan.size() == 1 ? "it as one file" : "it in " + plan.size() + " pieces");
        List<Stitcher.Heard> heard = new ArrayList<>();
        List<String> warnings = new ArrayList<>();
        double seconds = 0;
        for (int i = 0; i < plan.size(); i++) {
            ChunkPlan.Piece piece = plan.get(i);
            FileTranscriber.Heard part = held.find(request.meetingId(), piece).orElse(null);
            if (part == null) {
                Path file = dir.resolve("piece-" + i + ".mp3");
                tool.encodeSpeech(input, piece.start(), plan.size() == 1 ? null : piece.seconds(), file);
                if (Files.size(file) > uploadLimitBytes) {
                    throw new TranscriberException(Failure.of(Failure.Cause.INPUT, request.source() + ": piece " + (i + 1) + " is still "
                            + megabytes(Files.size(file)) + " after converting, over the upload limit of " + megabytes(uploadLimitBytes)));
                }
                part = admitted(file, MediaFormat.MP3, request.source() + " (piece " + (i + 1) + " of " + plan.size() + ")", i > 0);
                Files.delete(file);
                held.hold(request.meetingId(), piece, part);
            } else {
                log.debug("{}: piece {} of {} was transcribed before; not sent again", request.source(), i + 1, plan.size());
            }
            heard.add(new Stitcher.Heard(piece, part.segments()));
            seconds += part.audioSeconds() != null ? part.audioSeconds() : piece.seconds();
            if (i > 0 && !piece.atSilence()) {
                warnings.add(String.format(Locale.ROOT, "the recording was cut at %.1f s where no silence was found; a word may be lost there",
                        piece.ownedFrom()));
            }
        }
        return result(heard, seconds, warnings);
    }

    /**
     * One file sent; when {@code earlierHeard} (pieces of the recording were transcribed already), sent
     * again in place after a failure that passes.
     */
    private FileTranscriber.Heard admitted(Path file, MediaFormat format, String source, boolean earlierHeard)
            throws TranscriberException {
        RetryInPlace again = new RetryInPlace();
        while (true) {
            try {
                return admitted(file, format, source);
            } catch (TranscriberException e) {
                if (!earlierHeard) throw e;
                Optional<Duration> wait = again.after(e.failure());
                if (wait.isEmpty()) throw e;
                log.info("{}: {} failed ({}) after earlier pieces were transcribed; sending it again in {} ms "
                        + "rather than sending those again", files.name(), source, e.getMessage(), wait.get().toMillis());
                if (!RetryInPlace.pause(wait.get())) {
                    throw new TranscriberException(Failure.of(Failure.Cause.INTERRUPTED, source + ": interrupted while waiting to send it to "
                            + files.name() + " again"));
                }
            }
        }
    }

    /** One file sent to the service, admitted as one request; a 429 is that call's refusal. */
    private FileTranscriber.Heard admitted(Path file, MediaFormat format, String source) throws TranscriberException {
        CallAdmission.Ticket ticket;
        try {
            ticket = admission.admit(Analyzer.Estimate.NONE);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new TranscriberException(Failure.of(Failure.Cause.INTERRUPTED, source + ": interrupted while waiting for the "
                    + files.name() + " rate limit"));
        }
        try {
            FileTranscriber.Heard heard = files.transcribe(file, format, source);
            ticket.answered(null);
            return heard;
        } catch (TranscriberException e) {
            ticket.failed(e.failure());
            throw e;
        } catch (RuntimeException e) {
            ticket.failed(Failure.permanent(source + ": " + e));
            throw e;
        }
    }

    private Result result(List<Stitcher.Heard> heard, double audioSeconds, List<String> warnings) {
        List<Segment> segments = Stitcher.stitch(heard);
        return new Result(new Transcript(files.name(), segments, warnings),
                new TranscriptionUsage(audioSeconds, files.costUsd(audioSeconds)));
    }

    /** Why the recording cannot be sent as it is, or null when it can. */
    private String whyConvert(MediaFormat format, long size, Double length) {
        if (length != null && length > maxSeconds) {
            return String.format(Locale.ROOT, "is %.0f s long, over the %.0f s the model takes at once, so it is split", length, maxSeconds);
        }
        if (size > uploadLimitBytes) {
            return "is " + megabytes(size) + ", over the upload limit of " + megabytes(uploadLimitBytes)
                    + " (upload-limit), so it is converted (and split if still too big)";
        }
        if (!accepted.contains(format)) return "is " + format.extension() + ", which the transcriber does not take, so it is converted";
        if (format.mayHoldVideo()) return "may hold video (" + format.extension() + "), so its audio track is extracted";
        return null;
    }

    private boolean sendsAsIs(MediaFormat format, long size) {
        return accepted.contains(format) && size <= uploadLimitBytes;
    }

    private double probeOrZero(Path input) {
        if (ffmpeg.isEmpty()) return 0;
        try {
            return ffmpeg.get().durationSeconds(input);
        } catch (IOException e) {
            return 0;
        }
    }

    private static double lastEnd(List<Segment> segments) {
        double end = 0;
        for (Segment s : segments) if (s.hasTimes()) end = Math.max(end, s.endSeconds());
        return end;
    }

    static String megabytes(long bytes) {
        return String.format(Locale.ROOT, "%.1f MB", bytes / 1_000_000.0);
    }

    private static void deleteQuietly(Path dir) {
        if (!TemporaryFolders.deleteQuietly(dir)) log.warn("could not delete all of the temporary folder {}", dir);
    }
}
