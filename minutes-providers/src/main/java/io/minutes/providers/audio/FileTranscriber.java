package io.minutes.providers.audio;

import io.minutes.core.domain.MediaFormat;
import io.minutes.core.domain.Segment;
import io.minutes.core.port.TranscriberException;

import java.nio.file.Path;
import java.util.List;

/**
 * Transcribes one audio file that fits what the service takes (size, format): an OpenAI-compatible
 * endpoint or a local program. {@link AudioTranscriber} converts, splits and stitches around it.
 */
public interface FileTranscriber {

    /** Names the transcriber in messages and in the transcript's format ("openai whisper-1"). */
    String name();

    Heard transcribe(Path file, MediaFormat format, String source) throws TranscriberException;

    /**
     * Segments with times from the file's start (a segment without times stands for the whole file);
     * {@code audioSeconds} as the service counted them, or null when it did not say.
     */
    record Heard(List<Segment> segments, Double audioSeconds) {
    }

    /** What {@code audioSeconds} of audio cost, from the service's price per minute; 0 when unknown or free. */
    default double costUsd(double audioSeconds) {
        return 0.0;
    }
}
