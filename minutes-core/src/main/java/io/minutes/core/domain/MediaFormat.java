package io.minutes.core.domain;

import java.util.Locale;
import java.util.Optional;

/**
 * The audio and video containers Minutes takes as recordings. {@code mayHoldVideo} formats get their
 * audio track extracted before transcription.
 */
public enum MediaFormat {
    MP3("audio/mpeg", "mp3", false),
    WAV("audio/wav", "wav", false),
    M4A("audio/mp4", "m4a", false),
    OGG("audio/ogg", "ogg", false),
    OPUS("audio/opus", "opus", false),
    FLAC("audio/flac", "flac", false),
    WEBM("video/webm", "webm", true),
    MP4("video/mp4", "mp4", true),
    MOV("video/quicktime", "mov", true),
    MKV("video/x-matroska", "mkv", true);

    private final String mediaType;
    private final String extension;
    private final boolean mayHoldVideo;

    MediaFormat(String mediaType, String extension, boolean mayHoldVideo) {
        this.mediaType = mediaType;
        this.extension = extension;
        this.mayHoldVideo = mayHoldVideo;
    }

    public String mediaType() {
        return mediaType;
    }

    /** The usual file extension, without the dot. */
    public String extension() {
        return extension;
    }

    public boolean mayHoldVideo() {
        return mayHoldVideo;
    }

    public static Optional<MediaFormat> fromMediaType(String mediaType) {
        if (mediaType == null) return Optional.empty();
        String wanted = mediaType.strip().toLowerCase(Locale.ROOT);
        for (MediaFormat f : values()) {
            if (f.mediaType.equals(wanted)) return Optional.of(f);
        }
        return Optional.empty();
    }
}
