package io.minutes.core.port;

import io.minutes.core.domain.MediaFormat;
import io.minutes.core.domain.Transcript;
import io.minutes.core.domain.TranscriptionUsage;

import java.io.IOException;
import java.io.InputStream;

/**
 * Turns a recording into a transcript with timestamps. Implementations are called from many virtual
 * threads at once. A failure the caller should know about is thrown as {@link TranscriberException}
 * with its kind; anything else thrown is treated as a bug and fails the meeting permanently.
 */
public interface Transcriber {

    /** As configured: openai, command, none. */
    String name();

    Result transcribe(Request request) throws TranscriberException;

    /**
     * The most transcribing the recording may cost, before it is sent, for budgets: a free
     * transcriber (a local command, a self-hosted model) costs nothing and need not look at the audio.
     * Never throws: a recording it cannot measure is estimated as high as it can tell.
     */
    default Estimate estimate(Request request) {
        return Estimate.NONE;
    }

    /** {@code audioSeconds} as measured (or guessed, for a recording that could not be measured). */
    record Estimate(double audioSeconds, double maxCostUsd) {
        public static final Estimate NONE = new Estimate(0, 0);
    }

    /** The recording's bytes, opened as often as needed; the caller closes each stream. */
    @FunctionalInterface
    interface AudioSource {
        InputStream open() throws IOException;

        /** The recording kept under {@code key} in {@code blobs}. */
        static AudioSource of(BlobStore blobs, String key) {
            return () -> blobs.open(key).orElseThrow(() -> new IOException("blob " + key + " is missing from the blob store"));
        }
    }

    /** {@code source} names the input for messages; {@code sizeBytes} is the recording's size. */
    record Request(String meetingId, String source, String title, MediaFormat format, long sizeBytes,
                   AudioSource audio) {
    }

    record Result(Transcript transcript, TranscriptionUsage usage) {
    }
}
