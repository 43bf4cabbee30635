package io.minutes.providers.audio;

import io.minutes.core.domain.MediaFormat;
import io.minutes.core.ingest.MediaSniffer;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;

import static org.assertj.core.api.Assertions.assertThat;

/** Files as ffmpeg writes them, recognised from their first bytes only, whatever they are named. */
class RecordingFormatsTest {

    static Path speech;

    @BeforeAll
    static void speech() throws Exception {
        SpeechAudio.assumeTools();
        speech = SpeechAudio.speech("hello", "Hello, this is a short recording.");
    }

    @ParameterizedTest
    @CsvSource({
            "a.mp3, -c:a libmp3lame -b:a 32k, MP3",
            "a.wav, -c:a pcm_s16le, WAV",
            "a.m4a, -c:a aac -b:a 32k, M4A",
            "a.ogg, -c:a libvorbis, OGG",
            "a.opus, -c:a libopus -b:a 24k, OPUS",
            "a.flac, -c:a flac, FLAC",
            "a.mkv, -c:a libopus, MKV",
            "a.webm, -c:a libopus, WEBM"})
    void audioContainers(String name, String codec, MediaFormat expected) throws Exception {
        Path file = SpeechAudio.looped(speech, 1, name, codec.split(" "));

        assertThat(sniff(file)).isEqualTo(expected);
    }

    @ParameterizedTest
    @CsvSource({"v.mp4, MP4", "v.mov, MOV"})
    void videoContainers(String name, MediaFormat expected) throws Exception {
        Path file = SpeechAudio.dir().resolve(name);
        if (!Files.exists(file)) {
            SpeechAudio.run("ffmpeg", "-v", "error", "-nostdin", "-y", "-f", "lavfi", "-i", "testsrc=size=160x120:rate=5",
                    "-i", speech.toString(), "-shortest", "-c:v", "mpeg4", "-c:a", "aac", file.toString());
        }

        assertThat(sniff(file)).isEqualTo(expected);
    }

    @ParameterizedTest
    @CsvSource({"-c:a libmp3lame -b:a 32k -write_xing 0 -id3v2_version 0 -f mp3"})
    void mp3WithoutAnId3TagByItsFrames(String codec) throws Exception {
        Path file = SpeechAudio.looped(speech, 1, "bare.bin", codec.split(" "));
        try (InputStream in = Files.newInputStream(file)) {
            assertThat(in.readNBytes(3)).isNotEqualTo("ID3".getBytes());
        }

        assertThat(sniff(file)).isEqualTo(MediaFormat.MP3);
    }

    private static MediaFormat sniff(Path file) throws Exception {
        try (InputStream in = Files.newInputStream(file)) {
            return MediaSniffer.sniff(in.readNBytes(MediaSniffer.HEAD_BYTES)).orElse(null);
        }
    }
}
