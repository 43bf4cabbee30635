package io.minutes.core.domain;

import java.util.Objects;

/** Where the recording of an audio meeting is kept: its key in the BlobStore and its media type (audio/mpeg, video/mp4, ...). */
public record AudioRef(String blobKey, String mediaType) {
    public AudioRef {
        Objects.requireNonNull(blobKey, "blobKey");
        Objects.requireNonNull(mediaType, "mediaType");
    }
}
