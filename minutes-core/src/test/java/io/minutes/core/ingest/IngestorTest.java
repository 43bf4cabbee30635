package io.minutes.core.ingest;

import static java.nio.charset.StandardCharsets.UTF_16BE;
import static java.nio.charset.StandardCharsets.UTF_8;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.minutes.core.domain.Segment;
import io.minutes.core.domain.Transcript;
import java.nio.charset.Charset;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** Small inline inputs: malformed files, encodings, line endings, speaker rules, titles. */
class IngestorTest {

    private final Ingestor ingestor = new Ingestor(1);

    private Transcript ready(String name, String text) {
        return ready(name, text.getBytes(UTF_8));
    }

    private Transcript ready(String name, byte[] bytes) {
        IngestResult result = ingestor.ingest(name, bytes);
        assertThat(result).isInstanceOf(IngestResult.Ready.class);
        return ((IngestResult.Ready) result).transcript();
    }

    private String unreadable(String name, String text) {
        IngestResult result = ingestor.ingest(name, text.getBytes(UTF_8));
        assertThat(result).isInstanceOf(IngestResult.Unreadable.class);
        return ((IngestResult.Unreadable) result).message();
    }

    @Test
    void vttWhoseOnlyTimingIsBadIsUnreadableAtThatLine() {
        assertThat(unreadable("c.vtt", "WEBVTT\n\nhello\nworld\n"))
                .isEqualTo("c.vtt: line 3: expected a cue timing like \"00:00:01.000 --> 00:00:04.000\", found \"hello\"");
        assertThat(unreadable("d.vtt", "WEBVTT\n\n00:01 -> 00:02\ntext\n"))
                .startsWith("d.vtt: line 3: expected a cue timing").endsWith("found \"00:01 -> 00:02\"");
    }

    @Test
    void aBadTimingAmongGoodCuesIsSkippedWithAWarning() {
        Transcript t = ready("c.vtt", "WEBVTT\n\n00:00:01.000 --> 00:00:02.000\nfirst\n\n"
                + "00:00:0x.000 --> 00:00:03.000\nlost\n\n00:00:03.000 --> 00:00:04.000\nthird\n");

        assertThat(t.plainText()).isEqualTo("first third");
        assertThat(t.warnings()).singleElement().asString().startsWith("line 6: skipped a cue");
    }

    @Test
    void vttWithoutHeaderNamesTheFirstLine() {
        assertThat(unreadable("x.vtt", "Subtitles\n\n00:00:01.000 --> 00:00:02.000\nhello\n"))
                .startsWith("x.vtt: line 1: a WebVTT file must start with \"WEBVTT\"");
    }

    @Test
    void srtWithoutAnyTimingIsUnreadable() {
        assertThat(unreadable("s.srt", "1\nnot a timing\nhello\n"))
                .startsWith("s.srt: line 1: expected a subtitle number and a timing like \"00:00:01,000 --> 00:00:04,000\"");
    }

    @Test
    void invalidJsonNamesLineAndColumn() {
        assertThat(unreadable("m.json", "{\n  \"segments\": [\n    {\"text\": \"hi\",}\n  ]\n}"))
                .isEqualTo("m.json: line 3, column 19: invalid JSON: expected a field name in double quotes, found '}'");
    }

    @Test
    void jsonWithTheWrongShapeSaysWhatIsExpected() {
        assertThat(unreadable("m.json", "{\"segments\": [{\"speaker\": \"A\", \"text\": 3}]}"))
                .isEqualTo("m.json: line 1: segments[0].text: expected a string, found the number 3");
        assertThat(unreadable("m.json", "[{\"text\": \"a\", \"start\": \"soon\"}]"))
                .contains("segments[0].start: expected seconds as a number");
    }

    @Test
    void binaryGarbageIsUnreadableNamingTheSupportedFormats() {
        byte[] garbage = new byte[2048];
        new Random(42).nextBytes(garbage);

        IngestResult result = ingestor.ingest("recording.bin", garbage);

        assertThat(result).isInstanceOf(IngestResult.Unreadable.class);
        assertThat(((IngestResult.Unreadable) result).message()).startsWith("recording.bin: ")
                .contains("WebVTT (.vtt)", "SubRip (.srt)", "plain text (.txt)", "Markdown (.md)", "JSON (.json)");
    }

    @Test
    void unknownExtensionWithUnrecognisedContentIsUnreadable() {
        assertThat(unreadable("notes.pdf", "just some words that are not a known format"))
                .startsWith("notes.pdf: unknown format (extension \".pdf\"").contains("WebVTT (.vtt)");
    }

    @Test
    void emptyAndTooShortFilesAreSkippedWithCounts() {
        Ingestor strict = new Ingestor(Ingestor.DEFAULT_MIN_TRANSCRIPT_CHARS);

        IngestResult empty = strict.ingest("empty.vtt", new byte[0]);
        assertThat(empty).isEqualTo(new IngestResult.Skipped("empty",
                "empty.vtt: no speech found; at least 80 characters of speech are needed to make minutes "
                        + "(setting min-transcript-chars)"));

        IngestResult headerOnly = strict.ingest("h.vtt", "WEBVTT\n\nNOTE nothing said\n".getBytes(UTF_8));
        assertThat(headerOnly).isInstanceOf(IngestResult.Skipped.class);

        IngestResult shortOne = strict.ingest("short.txt", "Ann: Hello there.\nBob: Hi!".getBytes(UTF_8));
        assertThat(((IngestResult.Skipped) shortOne).reason())
                .isEqualTo("short.txt: only 15 characters of speech found; at least 80 characters of speech are "
                        + "needed to make minutes (setting min-transcript-chars)");
    }

    /** Issue 15: "minutes transcript empty.vtt --to srt" said "at least 0 are needed". */
    @Test
    void anEmptyFileWithNoMinimumSaysOnlyThatThereIsNoSpeech() {
        assertThat(new Ingestor(0).ingest("empty.vtt", new byte[0]))
                .isEqualTo(new IngestResult.Skipped("empty", "empty.vtt: no speech found"));
    }

    @Test
    void aTranscriptOverMaxTranscriptBytesIsRefusedNamingTheFileItsSizeTheLimitAndTheSetting() {
        byte[] text = "Ann: we talked about the plan for the launch.\n".repeat(1_000).getBytes(UTF_8);
        IngestResult result = new Ingestor(80, 10_000).ingest("big.txt", text);
        assertThat(result).isEqualTo(new IngestResult.Unreadable("big", "big.txt: the transcript is 46000 bytes, more than "
                + "the limit of 10000 bytes for one transcript (setting max-transcript-bytes); split it into smaller "
                + "files or raise the setting"));
        assertThat(new Ingestor(80, text.length).ingest("big.txt", text)).isInstanceOf(IngestResult.Ready.class);
    }

    @Test
    void aPlainTextFileNamedDocxOrZipIsReadAsText() {
        byte[] text = "Ann: We decided to move the launch to March after the review.\nBob: I will write the plan.\n"
                .getBytes(UTF_8);
        for (String name : List.of("notes.docx", "notes.zip")) {
            IngestResult result = new Ingestor(0).ingest(name, text);
            assertThat(result).as(name).isInstanceOf(IngestResult.Ready.class);
            assertThat(((IngestResult.Ready) result).transcript().segments()).extracting(s -> s.speaker())
                    .containsExactly("Ann", "Bob");
        }
    }

    @Test
    void negativeMinimumIsAWiringError() {
        assertThatThrownBy(() -> new Ingestor(-1)).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("minTranscriptChars");
    }

    @Test
    void invalidUtf8FallsBackToWindows1252WithAWarning() {
        byte[] bytes = "Ren\u00e9e: caf\u00e9 cr\u00e8me\nRen\u00e9e: na\u00efve".getBytes(Charset.forName("windows-1252"));

        Transcript t = ready("w.txt", bytes);

        assertThat(t.segments()).containsExactly(Segment.of("Renée", "café crème naïve"));
        assertThat(t.warnings()).anyMatch(w -> w.contains("windows-1252"));
    }

    @Test
    void utf16WithoutBomIsDetectedFromItsNulBytes() {
        Transcript t = ready("b.srt", "1\n00:00:01,000 --> 00:00:02,500\nGrüße aus Köln\n".getBytes(UTF_16BE));

        assertThat(t.segments()).containsExactly(new Segment(null, 1.0, 2.5, "Grüße aus Köln"));
        assertThat(t.format()).isEqualTo("srt");
    }

    @Test
    void crOnlyAndMixedLineEndings() {
        String cr = "WEBVTT\r\r00:00:01.000 --> 00:00:02.000\rAnn: one\r\r00:00:02.000 --> 00:00:03.000\r\nAnn: two\n\n";

        assertThat(ready("cr.vtt", cr).segments()).containsExactly(new Segment("Ann", 1.0, 3.0, "one two"));
    }

    @Test
    void contentDecidesTheFormatBeforeTheExtension() {
        assertThat(ready("wrong.txt", "WEBVTT\n\n00:01.000 --> 00:02.000\nhi there\n").format()).isEqualTo("vtt");
        assertThat(ready("wrong.vtt", "1\n00:00:01,000 --> 00:00:02,000\nhi there\n").format()).isEqualTo("srt");
        assertThat(ready("noext", "{\"segments\": [{\"text\": \"hi there\"}]}").format()).isEqualTo("json");
        assertThat(ready("log.txt", "[00:01:02] Ann: hello\n[00:01:05] Bob: hi").segments())
                .containsExactly(new Segment("Ann", 62.0, null, "hello"), new Segment("Bob", 65.0, null, "hi"));
    }

    @Test
    void proseWithAnOccasionalColonHasNoSpeakers() {
        Transcript t = ready("p.txt", "We met on Monday to plan the launch.\n"
                + "Note: the budget is not final.\nEveryone agreed to meet again.\n\nSecond paragraph here.");

        assertThat(t.segments()).extracting(Segment::speaker).containsOnlyNulls();
        assertThat(t.segments()).extracting(Segment::text).containsExactly(
                "We met on Monday to plan the launch. Note: the budget is not final. Everyone agreed to meet again.",
                "Second paragraph here.");
    }

    @Test
    void recurringLabelsAreSpeakersAndContinuationLinesJoinTheTurn() {
        Transcript t = ready("t.txt", "Meeting notes\n\nAnn: Let's start.\nit's a long agenda\nBob: Fine.\n"
                + "Bob: Go on.\nAnn: Item one: budgets.\nBob: Done.");

        assertThat(t.segments()).containsExactly(Segment.of("Ann", "Let's start. it's a long agenda"),
                Segment.of("Bob", "Fine. Go on."), Segment.of("Ann", "Item one: budgets."), Segment.of("Bob", "Done."));
        assertThat(t.warnings()).singleElement().asString().contains("left out 1 line");
    }

    @Test
    void markdownBoldLabelsInAllThreeStyles() {
        Transcript t = ready("m.md", "# Call\n\n| a | b |\n|---|---|\n\n**Ann** - hello [link](http://x)\n"
                + "**Bob**: hi *there*\n**Carl:** bye\n");

        assertThat(t.segments()).containsExactly(Segment.of("Ann", "hello link"), Segment.of("Bob", "hi there"),
                Segment.of("Carl", "bye"));
    }

    @Test
    void minutesJsonCarriesTitleSpeakersAndTimes() {
        IngestResult result = ingestor.ingest("upload.json", """
                {"title": "Weekly sync", "segments": [
                  {"speaker": "Ann", "start": 0, "end": 2.5, "text": "Hello \\u00e9 [Laughter]"},
                  {"speaker": "Ann", "start": 2.5, "end": 4, "text": "again"},
                  {"speaker": null, "text": "  "},
                  {"speaker": "Bob", "text": "Hi"}]}
                """.getBytes(UTF_8));

        assertThat(result.title()).isEqualTo("Weekly sync");
        assertThat(((IngestResult.Ready) result).transcript().segments()).containsExactly(
                new Segment("Ann", 0.0, 4.0, "Hello é again", List.of("Laughter")), Segment.of("Bob", "Hi"));
    }

    @Test
    void zoomReactionsInEnglishAndGermanAndTheirRemovalsAreLeftOut() {
        Transcript t = ready("chat.txt", """
                00:01:02\tAnn Lee:\tShall we ship on Friday?
                00:01:05\tBo Chen:\tReacted to "Shall we ship on..." with 👍
                00:01:06\tJan Roth:\tHat auf „Shall we ship on...“ mit 👍 reagiert
                00:01:07\tBo Chen:\tRemoved a 👍 reaction from "Shall we ship on..."
                00:01:09\tJan Roth:\tHat auf "Shall we ship" eine Antwort, aber reagiert nicht mit Emoji? Ja, Freitag passt.
                """);

        assertThat(t.segments()).extracting(Segment::text).containsExactly("Shall we ship on Friday?",
                "Hat auf \"Shall we ship\" eine Antwort, aber reagiert nicht mit Emoji? Ja, Freitag passt.");
        assertThat(t.warnings()).contains("left out 3 emoji reaction(s)");
    }

    @Test
    void minutesJsonCarriesTheDayTheMeetingTookPlace() {
        String segments = "\"segments\": [{\"speaker\": \"Ann\", \"text\": \"I will send the plan by Friday.\"}]";
        IngestResult dated = ingestor.ingest("sync.json", ("{\"date\": \"2026-11-16\", " + segments + "}").getBytes(UTF_8));
        IngestResult timed = ingestor.ingest("sync.json", ("{\"date\": \"2026-11-16T23:30:00-08:00\", " + segments + "}").getBytes(UTF_8));
        IngestResult undated = ingestor.ingest("sync-2026-11-16.json", ("{" + segments + "}").getBytes(UTF_8));

        assertThat(((IngestResult.Ready) dated).date()).isEqualTo(java.time.LocalDate.of(2026, 11, 16));
        assertThat(((IngestResult.Ready) timed).date()).as("the day as written, not moved to UTC").isEqualTo(java.time.LocalDate.of(2026, 11, 16));
        assertThat(((IngestResult.Ready) undated).date()).as("only metadata: the name's date is read at analysis").isNull();
    }

    @Test
    void aMinutesJsonDateThatIsNoDaySaysWhatIsExpected() {
        assertThat(unreadable("sync.json", "{\n  \"date\": \"16/11/2026\",\n  \"segments\": [{\"text\": \"hello there\"}]}"))
                .isEqualTo("sync.json: line 1: date: expected the day the meeting took place as an ISO date such as 2026-11-16 "
                        + "(an ISO date-time such as 2026-11-16T15:30:00Z counts as its day as written), found a string \"16/11/2026\"");
        assertThat(unreadable("sync.json", "{\"date\": 20261116, \"segments\": [{\"text\": \"hello there\"}]}"))
                .endsWith("found the number 20261116");
    }

    @Test
    void speakerChangeMarkersKeepUnknownSpeakersApart() {
        Transcript t = ready("c.vtt", "WEBVTT\n\n00:01.000 --> 00:02.000\n&gt;&gt; good morning\n\n"
                + "00:02.000 --> 00:03.000\neveryone\n&gt;&gt; present.\n");

        assertThat(t.segments()).extracting(Segment::text).containsExactly("good morning everyone", "present.");
    }

    @Test
    void rollingDuplicatesAreOnlyDroppedInRollingCaptions() {
        Transcript t = ready("y.vtt", "WEBVTT\n\n00:01.000 --> 00:02.000\nYeah.\n\n00:02.000 --> 00:03.000\nYeah.\n");

        assertThat(t.plainText()).isEqualTo("Yeah. Yeah.");
    }

    @Test
    void sameWordsAndSpeakersHashAlikeAcrossFormats() {
        byte[] vtt = "WEBVTT\n\n00:01.000 --> 00:02.000\n<v Ann>Hello, world!</v>\n\n00:02.000 --> 00:03.000\n<v Bob>Bye.\n"
                .getBytes(UTF_8);
        byte[] txt = "Ann: hello world\nBob: BYE\n".getBytes(UTF_8);
        byte[] other = "Ann: hello world\nCarl: BYE\n".getBytes(UTF_8);

        String a = ((IngestResult.Ready) ingestor.ingest("a.vtt", vtt)).contentHash();
        assertThat(((IngestResult.Ready) ingestor.ingest("a.txt", txt)).contentHash()).isEqualTo(a);
        assertThat(((IngestResult.Ready) ingestor.ingest("b.txt", other)).contentHash()).isNotEqualTo(a);
    }

    @Test
    void otterTextExportsHaveNameAndTimeLinesOverEachTurn() {
        Transcript t = ready("call.txt", "Customer call\n\nJane Doe  0:00\nWelcome, everyone.\nLet's begin.\n\n"
                + "Speaker 2  1:05\nThanks. [inaudible] Sounds good.\n");

        assertThat(t.segments()).containsExactly(
                new Segment("Jane Doe", 0.0, null, "Welcome, everyone. Let's begin."),
                new Segment("Speaker 2", 65.0, null, "Thanks. Sounds good.", List.of("inaudible")));
    }

    @Test
    void regionBlocksAreNotText() {
        Transcript t = ready("r.vtt", "WEBVTT\n\nREGION\nid:fred\nwidth:40%\n\n00:01.000 --> 00:02.000 region:fred\n"
                + "<v Ann>Hello there.\n");

        assertThat(t.segments()).containsExactly(new Segment("Ann", 1.0, 2.0, "Hello there."));
    }

    @ParameterizedTest
    @CsvSource(delimiter = '|', value = {
            "/in/GMT20240124-202901_Recording.transcript.vtt | Zoom recording 2024-01-24 20:29",
            "C:\\calls\\team_sync--2024-03-01.cc.vtt | team sync 2024-03-01",
            "ethereum-pm__acdc-175_2026-02-19__transcript.vtt | ethereum pm acdc 175 2026-02-19 transcript",
            "GMT20240124-202901_RecordingnewChat.txt | newChat",
            "___.txt | ___.txt",
            "notes | notes",
            "GMT20240124-202901_Recording_1920x1080.mp4 | Zoom recording 2024-01-24 20:29",
            "Weekly Sync-20240124_153012-Meeting Recording.mp4 | Weekly Sync",
            "Customer call_otter_ai.docx | Customer call",
            "calls/2024-01-24 Budget review/closed_caption.txt | 2024-01-24 Budget review",
            "november.zip!/q4_planning/transcript.vtt | q4 planning",
            "november.zip!/transcript.vtt | november",
            "transcript.vtt | transcript"})
    void titlesComeFromFileNames(String fileName, String title) {
        assertThat(Titles.fromFileName(fileName)).isEqualTo(title);
    }
}
