package io.minutes.core.ingest;

import static java.nio.charset.StandardCharsets.UTF_8;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.minutes.core.domain.Segment;
import io.minutes.core.domain.Transcript;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Objects;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;
import org.junit.jupiter.api.Test;

class TranscriptWriterTest {

    private static final Transcript MEETING = new Transcript("vtt", List.of(
            new Segment("Ann", 1.5, 4.0, "Welcome & hello, 2 < 3.", List.of("laugh")),
            new Segment(null, 4.0, 5.25, "Sorry, who is that?"),
            new Segment(null, 5.25, 6.0, "It's me."),
            new Segment("Bob", 3725.007, 3730.0, "Done.")));

    static Transcript read(String name, String text) {
        IngestResult result = new Ingestor(0).ingest(name, text.getBytes(UTF_8));
        assertThat(result).as("%s\n%s", result, text).isInstanceOf(IngestResult.Ready.class);
        return ((IngestResult.Ready) result).transcript();
    }

    @Test
    void srt() {
        assertThat(TranscriptWriter.write(MEETING, null, TranscriptWriter.Target.SRT)).isEqualTo("""
                1
                00:00:01,500 --> 00:00:04,000
                Ann: Welcome & hello, 2 < 3. [laugh]

                2
                00:00:04,000 --> 00:00:05,250
                >> Sorry, who is that?

                3
                00:00:05,250 --> 00:00:06,000
                >> It's me.

                4
                01:02:05,007 --> 01:02:10,000
                Bob: Done.
                """);
    }

    @Test
    void vtt() {
        assertThat(TranscriptWriter.write(MEETING, null, TranscriptWriter.Target.VTT)).isEqualTo("""
                WEBVTT

                00:00:01.500 --> 00:00:04.000
                <v Ann>Welcome &amp; hello, 2 &lt; 3. [laugh]

                00:00:04.000 --> 00:00:05.250
                &gt;&gt; Sorry, who is that?

                00:00:05.250 --> 00:00:06.000
                &gt;&gt; It's me.

                01:02:05.007 --> 01:02:10.000
                <v Bob>Done.
                """);
        assertThat(read("m.vtt", TranscriptWriter.write(MEETING, null, TranscriptWriter.Target.VTT)).segments())
                .isEqualTo(MEETING.segments());
    }

    @Test
    void txtAndJson() {
        assertThat(TranscriptWriter.write(MEETING, null, TranscriptWriter.Target.TXT)).isEqualTo("""
                [00:00:01.500] Ann: Welcome & hello, 2 < 3. [laugh]

                [00:00:04.000] Sorry, who is that?

                [00:00:05.250] It's me.

                [01:02:05.007] Bob: Done.
                """);
        String json = TranscriptWriter.write(MEETING, "Weekly \"sync\"", TranscriptWriter.Target.JSON);
        assertThat(json).startsWith("""
                {
                  "title": "Weekly \\"sync\\"",
                  "format": "vtt",
                  "segments": [
                    {"speaker": "Ann", "start": 1.5, "end": 4.0, "text": "Welcome & hello, 2 < 3.", "annotations": ["laugh"]},
                    {"speaker": null, "start": 4.0, "end": 5.25, "text": "Sorry, who is that?"},""");
        IngestResult.Ready back = (IngestResult.Ready) new Ingestor(0).ingest("m.json", json.getBytes(UTF_8));
        assertThat(back.title()).isEqualTo("Weekly \"sync\"");
        assertThat(back.transcript().segments()).isEqualTo(MEETING.segments());
    }

    @Test
    void longTurnsBecomeSeveralCaptionsThatReadBackAsOneTurn() {
        String words = "we went through every open item on the launch checklist and agreed who owns each of them "
                .repeat(4).strip();
        Transcript t = new Transcript("txt", List.of(new Segment("Ann", 10.0, 40.0, words), new Segment("Bob", 40.0, 42.0, "Fine.")));

        String srt = TranscriptWriter.write(t, null, TranscriptWriter.Target.SRT);

        assertThat(srt.lines().filter(l -> l.contains("-->")).count()).isEqualTo(6);
        assertThat(srt.lines().filter(l -> !l.contains("-->") && !l.matches("\\d*")))
                .allSatisfy(l -> assertThat(l.length()).isLessThanOrEqualTo(TranscriptWriter.MAX_CUE_CHARS + "Ann: ".length()));
        assertThat(srt).contains("00:00:10,000 --> ", " --> 00:00:40,000\n");
        assertThat(read("t.srt", srt).segments()).isEqualTo(t.segments());
        assertThat(read("t.vtt", TranscriptWriter.write(t, null, TranscriptWriter.Target.VTT)).segments()).isEqualTo(t.segments());
    }

    @Test
    void captionsNeedStartTimesAndMissingEndsAreFilledFromTheNextTurn() {
        Transcript untimed = new Transcript("txt", List.of(Segment.of("Ann", "Hello."), Segment.of("Bob", "Hi.")));
        assertThatThrownBy(() -> TranscriptWriter.write(untimed, null, TranscriptWriter.Target.SRT))
                .hasMessage("cannot write SRT: segment 1 (Ann) has no start time, and captions need times; this "
                        + "transcript came without timestamps, so write it as txt or json");

        Transcript chat = new Transcript("chat", List.of(new Segment("Ann", 5.0, null, "one two three four five six"),
                new Segment("Bob", 9.0, null, "ok")));
        assertThat(TranscriptWriter.write(chat, null, TranscriptWriter.Target.VTT))
                .contains("00:00:05.000 --> 00:00:09.000\n<v Ann>", "00:00:09.000 --> 00:00:10.000\n<v Bob>ok");
    }

    static List<Path> corpusTranscripts() {
        return CorpusIngestTest.transcriptFiles().toList();
    }

    /** Every real transcript written as vtt and json reads back to the very same segments. */
    @ParameterizedTest(name = "{0}", allowZeroInvocations = true)
    @MethodSource("corpusTranscripts")
    void corpusTranscriptsRoundTripThroughVttAndJson(Path file) throws IOException {
        IngestResult result = new Ingestor(0).ingest(file.getFileName().toString(), Files.readAllBytes(file));
        if (!(result instanceof IngestResult.Ready ready)) return; // the tldr summary is not a transcript
        Transcript t = ready.transcript();

        assertThat(read("x.json", TranscriptWriter.write(t, ready.title(), TranscriptWriter.Target.JSON)).segments())
                .isEqualTo(t.segments());
        if (t.segments().stream().allMatch(Segment::hasTimes)) {
            assertThat(read("x.vtt", TranscriptWriter.write(t, null, TranscriptWriter.Target.VTT)).segments())
                    .isEqualTo(t.segments());
        }
        boolean allNamedOrNone = t.segments().stream().map(s -> s.speaker() == null).distinct().count() == 1;
        if (allNamedOrNone) {
            assertThat(read("x.txt", TranscriptWriter.write(t, null, TranscriptWriter.Target.TXT)).segments())
                    .isEqualTo(t.segments().stream().map(s -> new Segment(s.speaker(), s.startSeconds(), null, s.text(),
                            s.annotations())).toList());
            if (t.segments().stream().allMatch(Segment::hasTimes)) {
                assertThat(read("x.srt", TranscriptWriter.write(t, null, TranscriptWriter.Target.SRT)).segments())
                        .isEqualTo(t.segments());
            }
        }
        assertThat(t.segments()).allMatch(Objects::nonNull);
    }
}
