package io.minutes.core.ingest;

import io.minutes.core.domain.MediaFormat;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;

import static org.assertj.core.api.Assertions.assertThat;

/** Container headers as the formats' specifications lay them out; real files made by ffmpeg are sniffed in minutes-providers. */
class MediaSnifferTest {

    private static byte[] bytes(Object... parts) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        for (Object part : parts) {
            if (part instanceof String s) out.writeBytes(s.getBytes(StandardCharsets.ISO_8859_1));
            else if (part instanceof int[] ints) for (int b : ints) out.write(b);
            else if (part instanceof byte[] b) out.writeBytes(b);
        }
        byte[] head = out.toByteArray();
        return Arrays.copyOf(head, Math.max(head.length, 64));
    }

    /** An MPEG-1 layer III frame header, 128 kbit/s, 44.1 kHz, no padding: 417 bytes a frame. */
    private static byte[] mp3Frame() {
        byte[] frame = new byte[417];
        frame[0] = (byte) 0xFF;
        frame[1] = (byte) 0xFB;
        frame[2] = (byte) 0x90;
        frame[3] = (byte) 0x64;
        return frame;
    }

    @Test
    void mp3WithAnId3Tag() {
        assertThat(MediaSniffer.sniff(bytes("ID3", new int[]{4, 0, 0, 0, 0, 0, 0}))).contains(MediaFormat.MP3);
    }

    @Test
    void bareMp3FramesNeedTwoHeadersOneFrameApart() {
        assertThat(MediaSniffer.sniff(bytes(mp3Frame(), mp3Frame()))).contains(MediaFormat.MP3);
        assertThat(MediaSniffer.sniff(bytes(mp3Frame(), new byte[500]))).isEmpty();
    }

    @Test
    void utf16TextWithAByteOrderMarkIsNotMp3() {
        byte[] text = "\uFEFFWEBVTT\n\n00:00:01.000 --> 00:00:02.000\nhello\n".repeat(20).getBytes(StandardCharsets.UTF_16LE);
        assertThat(MediaSniffer.sniff(text)).isEmpty();
        assertThat(new Ingestor(1).ingest("a.vtt", text)).isInstanceOf(IngestResult.Ready.class);
    }

    @Test
    void wavIsRiffWave() {
        assertThat(MediaSniffer.sniff(bytes("RIFF", new int[]{0x24, 0, 0, 0}, "WAVEfmt "))).contains(MediaFormat.WAV);
        assertThat(MediaSniffer.sniff(bytes("RIFF", new int[]{0x24, 0, 0, 0}, "AVI LIST"))).isEmpty();
    }

    @ParameterizedTest
    @CsvSource({"'M4A ', M4A", "'M4B ', M4A", "'qt  ', MOV", "isom, MP4", "mp42, MP4", "dash, MP4"})
    void isoMediaByItsBrand(String brand, MediaFormat expected) {
        assertThat(MediaSniffer.sniff(bytes(new int[]{0, 0, 0, 0x20}, "ftyp", brand, new int[]{0, 0, 2, 0})))
                .contains(expected);
    }

    @Test
    void oggIsOpusWhenTheFirstPageSaysOpusHead() {
        int[] page = {0, 2, 0, 0, 0, 0, 0, 0, 0, 0, 0x11, 0x22, 0x33, 0x44, 0, 0, 0, 0, 0, 0, 0, 0, 1, 19};
        assertThat(MediaSniffer.sniff(bytes("OggS", page, "OpusHead", new int[]{1, 1}))).contains(MediaFormat.OPUS);
        assertThat(MediaSniffer.sniff(bytes("OggS", page, new int[]{1}, "vorbis"))).contains(MediaFormat.OGG);
    }

    @Test
    void flac() {
        assertThat(MediaSniffer.sniff(bytes("fLaC", new int[]{0, 0, 0, 0x22}))).contains(MediaFormat.FLAC);
    }

    @Test
    void webmAndMatroskaByTheEbmlDocType() {
        int[] ebml = {0x1A, 0x45, 0xDF, 0xA3, 0x9F, 0x42, 0x86, 0x81, 0x01, 0x42, 0xF7, 0x81, 0x01};
        assertThat(MediaSniffer.sniff(bytes(ebml, new int[]{0x42, 0x82, 0x84}, "webm"))).contains(MediaFormat.WEBM);
        assertThat(MediaSniffer.sniff(bytes(ebml, new int[]{0x42, 0x82, 0x88}, "matroska"))).contains(MediaFormat.MKV);
    }

    @Test
    void textAndShortInputAreNotMedia() {
        assertThat(MediaSniffer.sniff("WEBVTT\n\n00:00:01.000 --> 00:00:02.000\nID3 is a tag\n".getBytes(StandardCharsets.UTF_8))).isEmpty();
        assertThat(MediaSniffer.sniff(new byte[]{'I', 'D'})).isEmpty();
        assertThat(MediaSniffer.sniff(new byte[0])).isEmpty();
        assertThat(MediaSniffer.sniff(null)).isEmpty();
    }

    @Test
    void theIngestorTellsARecordingByItsBytesWhateverItsName() {
        IngestResult result = new Ingestor(Ingestor.DEFAULT_MIN_TRANSCRIPT_CHARS).ingest("GMT20240124-202901_Recording.txt", bytes("fLaC", new int[]{0, 0, 0, 0x22}));

        assertThat(result).isInstanceOf(IngestResult.Audio.class);
        assertThat(((IngestResult.Audio) result).mediaType()).isEqualTo("audio/flac");
        assertThat(result.title()).isEqualTo("Zoom recording 2024-01-24 20:29");
        assertThat(new Ingestor(Ingestor.DEFAULT_MIN_TRANSCRIPT_CHARS).audio("weekly_sync.mp3", bytes("ID3", new int[]{4, 0})).orElseThrow().title())
                .isEqualTo("weekly sync");
    }
}
