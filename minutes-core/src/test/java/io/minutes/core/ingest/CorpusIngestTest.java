package io.minutes.core.ingest;

import static org.assertj.core.api.Assertions.assertThat;

import io.minutes.core.domain.Segment;
import io.minutes.core.domain.Transcript;
import io.minutes.core.testing.TestCorpus;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Set;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Every real-world file of the corpus (the permissive ones shipped in testdata/corpus, the others read from
 * ../shared/corpus when present), and the quirks each one exercises.
 */
class CorpusIngestTest {

    private static final Ingestor INGESTOR = new Ingestor(Ingestor.DEFAULT_MIN_TRANSCRIPT_CHARS);

    /** Real files whose whole text is shorter than the default minimum: skipped, and rightly so. */
    private static final Set<String> TOO_SHORT = Set.of("webvtt-py__teams_timeframe.vtt", "webvtt-py__styles.vtt",
            "webvtt-py__youtube_dl.vtt", "node-webvtt__malformed.vtt");

    /** Every transcript of the corpus found (shipped in testdata/corpus, or in ../shared/corpus when present). */
    static Stream<Path> transcriptFiles() {
        return Stream.of("vtt", "srt", "txt", "summaries").flatMap(TestCorpus::list)
                .filter(p -> !p.getParent().getFileName().toString().equals("summaries")
                        || p.getFileName().toString().startsWith("qmsum__"));
    }

    /** vtt/name.vtt for a file of the corpus, wherever it was found. */
    static String relative(Path file) {
        return file.getParent().getFileName() + "/" + file.getFileName();
    }

    static IngestResult ingest(String relative) throws IOException {
        Path file = TestCorpus.file(relative);
        return INGESTOR.ingest(file.getFileName().toString(), Files.readAllBytes(file));
    }

    static Transcript ready(String relative) throws IOException {
        IngestResult result = ingest(relative);
        assertThat(result).as(relative).isInstanceOf(IngestResult.Ready.class);
        return ((IngestResult.Ready) result).transcript();
    }

    static Set<String> speakers(Transcript t) {
        return t.segments().stream().map(Segment::speaker).filter(s -> s != null).collect(Collectors.toSet());
    }

    @ParameterizedTest(name = "{0}", allowZeroInvocations = true)
    @MethodSource("transcriptFiles")
    void everyCorpusTranscriptIsReadyOrRightlySkipped(Path file) throws IOException {
        String name = file.getFileName().toString();
        IngestResult result = INGESTOR.ingest(name, Files.readAllBytes(file));

        if (TOO_SHORT.contains(name)) {
            assertThat(result).isInstanceOf(IngestResult.Skipped.class);
            assertThat(((IngestResult.Skipped) result).reason()).contains("characters of speech", "at least 80");
            assertThat(new Ingestor(1).ingest(name, Files.readAllBytes(file))).isInstanceOf(IngestResult.Ready.class);
            return;
        }
        assertThat(result).isInstanceOf(IngestResult.Ready.class);
        IngestResult.Ready ready = (IngestResult.Ready) result;
        assertThat(ready.title()).isNotBlank();
        assertThat(ready.contentHash()).matches("[0-9a-f]{64}");
        Transcript t = ready.transcript();
        assertThat(t.segments()).isNotEmpty();
        assertThat(t.segments()).allSatisfy(s -> {
            assertThat(s.text()).isNotBlank().isEqualTo(s.text().strip()).doesNotContain("  ");
            assertThat(s.text()).doesNotContainPattern("</?(i|b|u|v|c|font)\\b").doesNotContain("-->");
        });
        for (int i = 1; i < t.segments().size(); i++) {
            Segment a = t.segments().get(i - 1);
            Segment b = t.segments().get(i);
            if (a.speaker() != null) assertThat(b.speaker()).as("merged turns at %d", i).isNotEqualTo(a.speaker());
        }
    }

    @Test
    void teamsShortTimestampsAndVoiceTags() throws IOException {
        Transcript t = new Ingestor(1).ingest("teams.vtt",
                Files.readAllBytes(TestCorpus.file("vtt/webvtt-py__teams_timeframe.vtt")))
                instanceof IngestResult.Ready r ? r.transcript() : null;

        assertThat(t).isNotNull();
        assertThat(t.segments()).containsExactly(
                new Segment("Yuri Bakulin", 0.0, 0.57, "There you go."),
                new Segment("Adrian Petrescu", 0.21, 1.13, "Why hello there, Yuri."));
    }

    @Test
    void twoVoicesInOneCueBecomeTwoSegments() throws IOException {
        Transcript t = ready("vtt/vtt.js__cycle-collector-talk.vtt");

        assertThat(t.segments().get(0).speaker()).isEqualTo("Kyle Huey");
        assertThat(t.segments().get(0).text()).startsWith("Not ready yet?");
        assertThat(t.segments().get(1)).isEqualTo(new Segment("Chris Pearce", 4.0, 5.0, "Okay, we're good now."));
        assertThat(t.segments().get(2).speaker()).isEqualTo("Kyle Huey");
        assertThat(t.segments().get(2).text()).startsWith("Oh, now we're good?").contains("thanks again for coming.");
    }

    @Test
    void youtubeRollingCaptionsLeaveNoRepeatedLines() throws IOException {
        Transcript t = ready("vtt/SwiftSubtitles__crash_13.vtt");

        String text = t.plainText();
        assertThat(text).startsWith("and we'll go to the web page in a minute but for now i'll just show it to you")
                .doesNotContain("[Music]").doesNotContain("<c>").doesNotContainPattern("<\\d");
        assertThat(text).doesNotContain("in a minute and we'll go to the web page in a minute");
        List<String> words = List.of(text.split(" "));
        int longestRepeat = 0;
        for (int n = 5; n <= 8; n++) {
            for (int i = 0; i + 2 * n <= words.size(); i++) {
                if (words.subList(i, i + n).equals(words.subList(i + n, i + 2 * n))) longestRepeat = n;
            }
        }
        assertThat(longestRepeat).as("a run of words repeated right after itself").isZero();
    }

    @Test
    void youtubeDlHeaderStylesAndMissingBlankLine() throws IOException {
        Transcript t = ((IngestResult.Ready) new Ingestor(1).ingest("y.vtt",
                Files.readAllBytes(TestCorpus.file("vtt/webvtt-py__youtube_dl.vtt")))).transcript();

        assertThat(t.plainText()).isEqualTo("yeah what this will happen is I'm telling");
    }

    @Test
    void utf16LittleEndianSrtReadsLikeItsUtf8Twin() throws IOException {
        IngestResult.Ready utf16 = (IngestResult.Ready) ingest("srt/pysrt__bom-utf-16-le.srt");
        IngestResult.Ready utf8 = (IngestResult.Ready) ingest("srt/pysrt__bom-utf-8.srt");

        assertThat(utf16.transcript().plainText()).startsWith("About 2 months ago I found myself on");
        assertThat(utf16.transcript().segments()).isEqualTo(utf8.transcript().segments());
        assertThat(utf16.contentHash()).isEqualTo(utf8.contentHash());
    }

    @Test
    void capabilityTesterTagsAndOverridesAreStripped() throws IOException {
        String text = ready("srt/pysrt__capability_tester.srt").plainText();

        assertThat(text).contains("This text should be blue", "This should be an E with an accent: È", "日本語",
                "This text should be at the top and horizontally centered", "2<3,5>1,4<6",
                "This text should NOT be in the normal position");
        assertThat(text).doesNotContain("<font", "</font>", "<b>", "<i>", "{\\an", "X1:", "invalid_tag");
    }

    @Test
    void zoomTranscriptSpeakersComeFromNamePrefixes() throws IOException {
        Transcript zoom = ready("vtt/zoomstudentengagement__GMT20240124-202901_Recording.transcript.vtt");
        assertThat(speakers(zoom)).contains("Srijani Ghosh", "Conor Healy", "Dr. Melissa Ko");
        assertThat(zoom.segments().get(0)).isEqualTo(new Segment("Srijani Ghosh", 0.05, 1.79, "Hi!"));

        Transcript acdc = ready("vtt/ethereum-pm__acdc-175_2026-02-19__transcript.vtt");
        assertThat(speakers(acdc)).contains("stokes", "Josh Davis", "Justin Florentine")
                .noneMatch(s -> s.contains("(") || s.contains(":"));
        assertThat(acdc.segments().get(0).startSeconds()).isEqualTo(331.76);
    }

    @Test
    void zoomCaptionsWithoutSpeakersAndCrlf() throws IOException {
        Transcript cc = ready("vtt/zoomstudentengagement__GMT20240124-202901_Recording.cc.vtt");

        assertThat(speakers(cc)).isEmpty();
        assertThat(cc.segments().get(0).startSeconds()).isEqualTo(68.0);
        assertThat(cc.plainText()).doesNotContain("\r");
    }

    @Test
    void ethereumMarkdownSpeakersAndNoTableSpeakers() throws IOException {
        IngestResult.Ready ready = (IngestResult.Ready) ingest("txt/ethereum-pm__AllCoreDevs-EL-meeting-100.md");
        Transcript t = ready.transcript();

        assertThat(t.format()).isEqualTo("md");
        assertThat(speakers(t)).contains("Hudson", "Micah", "Peter", "Martin", "James Prestwich")
                .allSatisfy(s -> assertThat(s).doesNotContainPattern("\\d|\\||Decision|Action|Moderator|Notes"));
        assertThat(t.segments().get(0).speaker()).isEqualTo("Hudson");
        assertThat(t.segments().get(0).text()).startsWith("All right, hello, everyone, and welcome to ethereum");
        assertThat(t.plainText()).doesNotContain("Decision Item", "| ---", "youtu.be", "SasaWebUp", "**");
    }

    @Test
    void icsiTurnsWithLetterSpeakersAndNoiseTags() throws IOException {
        Transcript t = ready("txt/ELITR-minuting__ICSI-Bed003__conv_by_topic.txt");

        assertThat(speakers(t)).containsExactlyInAnyOrder("A", "B", "C", "D", "E");
        assertThat(t.plainText()).doesNotContain("<laugh>", "<breath>", "topic_description", " @ ");
        assertThat(t.segments().get(0)).isEqualTo(new Segment("C", null, null, "Nice .", List.of("click", "outbreath")));
        assertThat(t.segments()).flatExtracting(Segment::annotations).contains("laugh", "breath", "unintelligible");
    }

    @Test
    void zoomChatExportsAreTurnsWithoutReactions() throws IOException {
        Transcript t = ready("txt/ethereum-pm__acdc-175_2026-02-19__chat.txt");

        assertThat(t.format()).isEqualTo("chat");
        assertThat(speakers(t)).contains("stokes", "kingy_sigp", "Toni Wahrstätter", "Justin Traglia");
        assertThat(t.plainText()).doesNotContain("Reacted to", "Replying to").contains("No, the PR has not been merged yet.");
        assertThat(t.segments().get(0)).isEqualTo(new Segment("Sanggu Han", 341.0, null, "sounds great"));
    }

    /** Before: Ladislaus's German Zoom reactions ('Hat auf "max efficiency" mit 👍 reagiert') were read as what he said. */
    @Test
    void aGermanZoomReactionIsAReactionNotWhatWasSaid() throws IOException {
        Transcript t = ready("txt/ethereum-pm__acdc-175_2026-02-19__chat.txt");

        assertThat(t.plainText()).doesNotContain("Hat auf", "reagiert");
        assertThat(t.segments()).extracting(Segment::speaker).as("he only reacted").doesNotContain("Ladislaus");
        assertThat(t.warnings()).anySatisfy(w -> assertThat(w).startsWith("left out ").endsWith(" emoji reaction(s)"));
    }

    @Test
    void qmsumSpeakersAndNoiseMarkers() throws IOException {
        Transcript t = ready("summaries/qmsum__IS1003a.json");

        assertThat(t.format()).isEqualTo("qmsum");
        assertThat(speakers(t)).containsExactlyInAnyOrder("Project Manager", "Marketing", "Industrial Designer",
                "User Interface");
        assertThat(t.plainText()).doesNotContain("{vocalsound}", "{disfmarker}");
        assertThat(ready("summaries/qmsum__education_17.json").segments()).hasSizeGreaterThan(100);
    }

    @Test
    void summaryJsonIsNotATranscriptAndSaysWhatIsExpected() throws IOException {
        IngestResult result = ingest("summaries/ethereum-pm__acdc-175_2026-02-19__tldr.json");

        assertThat(result).isInstanceOf(IngestResult.Unreadable.class);
        assertThat(((IngestResult.Unreadable) result).message())
                .startsWith("ethereum-pm__acdc-175_2026-02-19__tldr.json: line 1: not a transcript")
                .contains("segments", "meeting_transcripts");
    }

    @Test
    void councilCaptionsEntitiesAndSpeakerChangeMarkers() throws IOException {
        Transcript brief = ready("vtt/cdp-backend__brief_080221_2012161.vtt");
        assertThat(brief.segments().get(0).text()).startsWith("GOOD MORNING EVERYONE.");
        assertThat(brief.plainText()).doesNotContain("&gt;", ">>");
        assertThat(brief.segments()).hasSizeGreaterThan(5);

        Transcript oakland = ready("vtt/cdp-backend__oakland_captions.vtt");
        assertThat(oakland.segments()).extracting(Segment::text)
                .contains("present.").noneMatch(s -> s.contains(">>"));
    }

    @Test
    void acidTestSkipsMalformedCuesWithWarnings() throws IOException {
        Transcript t = ready("vtt/node-webvtt__acid.vtt");

        assertThat(t.warnings()).anyMatch(w -> w.startsWith("line 62: ") && w.contains("MALFORMEDCUE"));
        assertThat(t.plainText()).doesNotContain("It should not be processed").contains("だらり帯の結び方");
    }

    @Test
    void malformedVttWithBlankLinesBeforeTheCueText() throws IOException {
        IngestResult result = new Ingestor(1).ingest("m.vtt",
                Files.readAllBytes(TestCorpus.file("vtt/node-webvtt__malformed.vtt")));

        assertThat(((IngestResult.Ready) result).transcript().segments())
                .containsExactly(new Segment(null, 6313.056, 6314.39, "...mission."));
    }

    @Test
    void notesStylesAndCueSettingsAreNotText() throws IOException {
        Transcript comments = ready("vtt/webvtt-py__comments.vtt");
        assertThat(comments.plainText()).doesNotContain("NOTE", "Kyle", "translate well").contains("Det är inte varmt.");

        Transcript spec = ready("vtt/vtt.js__spec-example.vtt");
        assertThat(spec.plainText()).doesNotContain("align:", "size:");
        assertThat(speakers(spec)).containsExactlyInAnyOrder("Roger Bingham", "Neil deGrasse Tyson");

        Transcript upc = ready("vtt/SwiftSubtitles__upc-video-subtitles-en.vtt");
        assertThat(upc.plainText()).startsWith("Everyone wants the most from life").doesNotContain("A:start", "D:vertical");
    }

    @Test
    void sameMeetingInVttAndTextHashesAlike() throws IOException {
        Transcript vtt = ready("vtt/vtt.js__spec-example.vtt");
        StringBuilder txt = new StringBuilder();
        for (Segment s : vtt.segments()) txt.append(s.speaker()).append(": ").append(s.text().toUpperCase()).append("\n\n");

        IngestResult asText = INGESTOR.ingest("spec.txt", txt.toString().getBytes(java.nio.charset.StandardCharsets.UTF_8));

        assertThat(((IngestResult.Ready) asText).contentHash())
                .isEqualTo(((IngestResult.Ready) ingest("vtt/vtt.js__spec-example.vtt")).contentHash());
    }

    /** Truncated and corrupted copies of real files never throw and never fail as an internal error. */
    @ParameterizedTest(name = "{0}", allowZeroInvocations = true)
    @MethodSource("transcriptFiles")
    void damagedCopiesNeverBreakTheIngestor(Path file) throws IOException {
        byte[] bytes = Files.readAllBytes(file);
        java.util.Random random = new java.util.Random(file.getFileName().toString().hashCode());
        for (int round = 0; round < 8; round++) {
            byte[] damaged = java.util.Arrays.copyOf(bytes, random.nextInt(bytes.length + 1));
            for (int flips = 0; flips < 3 && damaged.length > 0; flips++) {
                damaged[random.nextInt(damaged.length)] = (byte) random.nextInt(256);
            }
            IngestResult result = INGESTOR.ingest(file.getFileName().toString(), damaged);
            if (result instanceof IngestResult.Unreadable u) {
                assertThat(u.message()).doesNotContain("internal error");
            }
        }
    }
}
