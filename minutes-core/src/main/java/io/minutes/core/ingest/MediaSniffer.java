package io.minutes.core.ingest;

import io.minutes.core.domain.MediaFormat;

import java.nio.charset.StandardCharsets;
import java.util.Optional;

/**
 * Recognises audio and video containers by their first bytes (never by the file name): MP3 (an ID3
 * tag, or two consecutive MPEG audio frame headers), WAV (RIFF/WAVE), MP4/M4A/MOV (the {@code ftyp}
 * box and its brand), Ogg (Opus when the first page holds {@code OpusHead}), FLAC, and WebM/Matroska
 * (the EBML header's DocType). {@link #HEAD_BYTES} are enough.
 */
public final class MediaSniffer {

    /** How many leading bytes {@link #sniff} needs at most. */
    public static final int HEAD_BYTES = 8 * 1024;

    private MediaSniffer() {
    }

    public static Optional<MediaFormat> sniff(byte[] head) {
        return sniff(head, head == null ? 0 : head.length);
    }

    /** @param length how many bytes of {@code head} are valid */
    public static Optional<MediaFormat> sniff(byte[] head, int length) {
        if (head == null || length < 4) return Optional.empty();
        int n = Math.min(length, head.length);
        if (startsWith(head, n, 0, "ID3")) return Optional.of(MediaFormat.MP3);
        if (startsWith(head, n, 0, "RIFF") && startsWith(head, n, 8, "WAVE")) return Optional.of(MediaFormat.WAV);
        if (startsWith(head, n, 4, "ftyp")) return Optional.of(isoBrand(head, n));
        if (startsWith(head, n, 0, "OggS")) {
            return Optional.of(indexOf(head, Math.min(n, 512), "OpusHead") >= 0 ? MediaFormat.OPUS : MediaFormat.OGG);
        }
        if (startsWith(head, n, 0, "fLaC")) return Optional.of(MediaFormat.FLAC);
        if (u8(head, 0) == 0x1A && u8(head, 1) == 0x45 && u8(head, 2) == 0xDF && u8(head, 3) == 0xA3) {
            return ebmlDocType(head, n);
        }
        if (isMpegAudioFrame(head, n, 0)) return Optional.of(MediaFormat.MP3);
        return Optional.empty();
    }

    private static MediaFormat isoBrand(byte[] head, int n) {
        if (n < 12) return MediaFormat.MP4;
        String brand = new String(head, 8, 4, StandardCharsets.ISO_8859_1);
        return switch (brand) {
            case "M4A ", "M4B ", "M4P " -> MediaFormat.M4A;
            case "qt  " -> MediaFormat.MOV;
            default -> MediaFormat.MP4;
        };
    }

    /** The EBML header's DocType element (id 0x4282): "webm" or "matroska". */
    private static Optional<MediaFormat> ebmlDocType(byte[] head, int n) {
        int limit = Math.min(n, 256);
        for (int i = 4; i + 3 < limit; i++) {
            if (u8(head, i) != 0x42 || u8(head, i + 1) != 0x82) continue;
            int sizeByte = u8(head, i + 2);
            if ((sizeByte & 0x80) == 0) continue; // DocType sizes are one-byte vints
            int size = sizeByte & 0x7F;
            if (i + 3 + size > n) break;
            String docType = new String(head, i + 3, size, StandardCharsets.US_ASCII).replace("\0", "");
            if (docType.equals("webm")) return Optional.of(MediaFormat.WEBM);
            if (docType.equals("matroska")) return Optional.of(MediaFormat.MKV);
            return Optional.empty();
        }
        return Optional.of(MediaFormat.MKV);
    }

    private static final int[][] BITRATES_KBPS = {
            // MPEG-1 layer I, II, III
            {0, 32, 64, 96, 128, 160, 192, 224, 256, 288, 320, 352, 384, 416, 448},
            {0, 32, 48, 56, 64, 80, 96, 112, 128, 160, 192, 224, 256, 320, 384},
            {0, 32, 40, 48, 56, 64, 80, 96, 112, 128, 160, 192, 224, 256, 320},
            // MPEG-2/2.5 layer I, II and III
            {0, 32, 48, 56, 64, 80, 96, 112, 128, 144, 160, 176, 192, 224, 256},
            {0, 8, 16, 24, 32, 40, 48, 56, 64, 80, 96, 112, 128, 144, 160}};
    private static final int[][] SAMPLE_RATES = {{11025, 12000, 8000}, {0, 0, 0}, {22050, 24000, 16000}, {44100, 48000, 32000}};

    /**
     * A bare MPEG audio stream (no ID3 tag) is recognised when a valid frame header is followed by a
     * second one exactly one frame later: a single header is too weak (a UTF-16 LE BOM, FF FE,
     * parses as one).
     */
    private static boolean isMpegAudioFrame(byte[] head, int n, int at) {
        int length = mpegFrameLength(head, n, at);
        if (length <= 0) return false;
        int next = at + length;
        if (next + 4 > n) return false;
        return mpegFrameLength(head, n, next) > 0;
    }

    /** The frame's length in bytes, or -1 when there is no valid MPEG audio frame header at {@code at}. */
    private static int mpegFrameLength(byte[] head, int n, int at) {
        if (at + 4 > n) return -1;
        int b1 = u8(head, at + 1);
        int b2 = u8(head, at + 2);
        if (u8(head, at) != 0xFF || (b1 & 0xE0) != 0xE0) return -1;
        int version = (b1 >> 3) & 0b11;   // 0: 2.5, 1: reserved, 2: MPEG-2, 3: MPEG-1
        int layer = (b1 >> 1) & 0b11;     // 1: III, 2: II, 3: I, 0: reserved (ADTS AAC)
        int bitrateIndex = (b2 >> 4) & 0xF;
        int rateIndex = (b2 >> 2) & 0b11;
        if (version == 1 || layer == 0 || bitrateIndex == 0 || bitrateIndex == 15 || rateIndex == 3) return -1;
        boolean mpeg1 = version == 3;
        int table = mpeg1 ? 3 - layer : (layer == 3 ? 3 : 4);
        int bitrate = BITRATES_KBPS[table][bitrateIndex] * 1000;
        int sampleRate = SAMPLE_RATES[version][rateIndex];
        int padding = (b2 >> 1) & 1;
        if (layer == 3) return (12 * bitrate / sampleRate + padding) * 4;
        int samplesPerFrame = layer == 1 && !mpeg1 ? 576 : 1152;
        return samplesPerFrame / 8 * bitrate / sampleRate + padding;
    }

    private static boolean startsWith(byte[] head, int n, int at, String ascii) {
        if (at + ascii.length() > n) return false;
        for (int i = 0; i < ascii.length(); i++) {
            if (head[at + i] != (byte) ascii.charAt(i)) return false;
        }
        return true;
    }

    private static int indexOf(byte[] head, int n, String ascii) {
        for (int i = 0; i + ascii.length() <= n; i++) {
            if (startsWith(head, n, i, ascii)) return i;
        }
        return -1;
    }

    private static int u8(byte[] b, int i) {
        return i < b.length ? b[i] & 0xFF : -1;
    }
}
