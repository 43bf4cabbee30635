package io.minutes.core.engine;

import io.minutes.core.domain.ClaimedMeeting;
import io.minutes.core.domain.Failure;
import io.minutes.core.domain.MediaFormat;
import io.minutes.core.domain.Transcript;
import io.minutes.core.port.Analyzer;
import io.minutes.core.port.AnalyzerException;
import io.minutes.core.port.BlobStore;
import io.minutes.core.port.MeetingStore;
import io.minutes.core.port.Transcriber;
import io.minutes.core.port.TranscriberException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.IOException;
import java.time.Clock;
import java.util.Optional;

/**
 * The steps one meeting goes through on one attempt: transcribe (recordings only, and only while no
 * transcript is checkpointed) -> analyze. A finished transcription is checkpointed in the store under
 * the lease before the analysis starts, so a retry of the analysis never pays for it twice.
 * Failures come back as values; an exception from an adapter is a bug, logged with its stack trace
 * and failed permanently so one meeting's bug cannot take the batch down.
 */
public final class Pipeline {
    private static final Logger log = LoggerFactory.getLogger(Pipeline.class);
    private final Analyzer analyzer;
    private final Transcription transcription;

    /**
     * What the transcribe step needs: the transcriber, where recordings are kept, and where the
     * transcript is checkpointed, as the lease {@code owner} (the dispatcher's worker id).
     */
    public record Transcription(Transcriber transcriber, BlobStore blobs, MeetingStore store, String owner,
                                Clock clock) {
    }

    /** A pipeline for transcripts only: a recording fails with a message saying no transcriber is set up. */
    public Pipeline(Analyzer analyzer) {
        this(analyzer, null);
    }

    public Pipeline(Analyzer analyzer, Transcription transcription) {
        this.analyzer = analyzer;
        this.transcription = transcription;
    }

    public StepOutcome run(ClaimedMeeting meeting) {
        Transcript transcript = meeting.transcript();
        if (meeting.needsTranscription()) {
            try {
                transcript = transcribe(meeting);
            } catch (Stop stop) {
                return new StepOutcome.Failed(stop.failure);
            }
        }
        return analyze(meeting, transcript);
    }

    private StepOutcome analyze(ClaimedMeeting meeting, Transcript transcript) {
        try {
            Analyzer.Result result = analyzer.analyze(new Analyzer.Request(meeting.id(), meeting.title(), transcript));
            return new StepOutcome.Completed(result.analysis(), result.usage());
        } catch (AnalyzerException e) {
            return new StepOutcome.Failed(e.failure());
        } catch (RuntimeException | StackOverflowError e) {
            log.error("analyzer '{}' crashed on {} ({})", analyzer.name(), meeting.source(), meeting.id(), e);
            return new StepOutcome.Failed(Failure.permanent(
                    meeting.source() + ": internal error in the " + analyzer.name() + " analyzer: " + e));
        }
    }

    private Transcript transcribe(ClaimedMeeting meeting) throws Stop {
        if (transcription == null) {
            throw new Stop(Failure.permanent(meeting.source() + " is a recording and no transcriber is set up"));
        }
        String blobKey = meeting.audio().blobKey();
        MediaFormat format = MediaFormat.fromMediaType(meeting.audio().mediaType()).orElseThrow(() -> new Stop(
                Failure.permanent(meeting.source() + ": unsupported media type " + meeting.audio().mediaType())));
        long size = blobSize(meeting, blobKey);
        Transcriber transcriber = transcription.transcriber();
        Transcriber.Result result;
        try {
            result = transcriber.transcribe(new Transcriber.Request(meeting.id(), meeting.source(), meeting.title(),
                    format, size, () -> transcription.blobs().open(blobKey).orElseThrow(
                            () -> new IOException("blob " + blobKey + " disappeared"))));
        } catch (TranscriberException e) {
            throw new Stop(e.failure());
        } catch (RuntimeException | StackOverflowError e) {
            log.error("transcriber '{}' crashed on {} ({})", transcriber.name(), meeting.source(), meeting.id(), e);
            throw new Stop(Failure.permanent(
                    meeting.source() + ": internal error in the " + transcriber.name() + " transcriber: " + e));
        }
        Transcript transcript = result.transcript();
        if (transcript == null || transcript.characterCount() == 0) {
            throw new Stop(Failure.permanent(meeting.source() + ": the " + transcriber.name()
                    + " transcriber found no speech in the recording"));
        }
        boolean kept = transcription.store().meetingTranscribed(new MeetingStore.TranscribedParams(meeting.id(),
                transcription.owner(), meeting.attempt(), transcript, result.usage(), transcription.clock().instant()));
        if (!kept) {
            throw new Stop(Failure.transientFailure(meeting.source() + ": the lease was lost while transcribing"));
        }
        return transcript;
    }

    private long blobSize(ClaimedMeeting meeting, String blobKey) throws Stop {
        Optional<Long> size;
        try {
            size = transcription.blobs().size(blobKey);
        } catch (IOException e) {
            throw new Stop(Failure.transientFailure(meeting.source() + ": cannot read its recording: " + e.getMessage()));
        }
        return size.orElseThrow(() -> new Stop(Failure.permanent(meeting.source() + ": its recording (blob " + blobKey
                + ") is missing from the blob store; give the file again with --fresh")));
    }

    /** Ends the attempt with a failure before the analysis. */
    private static final class Stop extends Exception {
        private final transient Failure failure;

        Stop(Failure failure) {
            super(failure.message(), null, false, false);
            this.failure = failure;
        }
    }
}
