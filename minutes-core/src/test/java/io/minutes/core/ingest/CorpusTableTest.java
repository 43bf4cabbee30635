package io.minutes.core.ingest;

import static org.assertj.core.api.Assertions.assertThat;

import io.minutes.core.domain.Segment;
import io.minutes.core.domain.Transcript;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.Objects;
import java.util.Set;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;
import io.minutes.core.testing.TestCorpus;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * Every transcript of the corpus (shipped or shared, see TestCorpus), pinned: its format, how many segments (turns after merging) it has, who
 * speaks, and exact text of its first turn. Counts were checked against the files (e.g. oakland's 54 ">>" markers
 * make 55 turns; Zoom's 102 cues by 5 people merge into 25 turns).
 */
class CorpusTableTest {

    private static final String TABLE = """
            vtt/SwiftSubtitles__crash_13.vtt | vtt | 1 | 0 | | | 18.08 | and we'll go to the web page in a minute but for now i'll just show it to you if you don't have it yet
            vtt/SwiftSubtitles__upc-video-subtitles-en.vtt | vtt | 1 | 0 | | | 3.5 | Everyone wants the most from life Like internet experiences
            vtt/cdp-backend__brief_080221_2012161.vtt | vtt | 17 | 0 | | | 5.872 | GOOD MORNING EVERYONE. THE AUGUST 2nd, 2021 COUNCIL BRIEFING MEETING WILL COME TO ORDER.
            vtt/cdp-backend__oakland_captions.vtt | vtt | 55 | 0 | | | 148.168 | successor agency/city council.
            vtt/ethereum-pm__acdc-175_2026-02-19__transcript.vtt | vtt | 21 | 7 | Josh Davis;Justin Florentine;Justin Traglia;Parithosh Jayanthi;Trent;pk910;stokes | Josh Davis | 331.76 | Can I get a quick mic check, please?
            vtt/node-webvtt__acid.vtt | vtt | 4 | 3 | Line position;Size;Text Position | | 0.0 | This WebVTT acid test will verify rendering and parsing compatibility
            vtt/node-webvtt__malformed.vtt | vtt | 1 | 0 | | | 6313.056 | ...mission.
            vtt/vtt.js__cycle-collector-talk.vtt | vtt | 3 | 2 | Chris Pearce;Kyle Huey | Kyle Huey | 0.0 | Not ready yet? Alright, I'll wait until the camera man tells me
            vtt/vtt.js__spec-example.vtt | vtt | 5 | 2 | Neil deGrasse Tyson;Roger Bingham | Roger Bingham | 11.0 | We are in New York City We're actually at the Lucern Hotel, just down
            vtt/webvtt-py__comments.vtt | vtt | 1 | 0 | | | 135.0 | - Ta en kopp varmt te. - Det är inte varmt.
            vtt/webvtt-py__styles.vtt | vtt | 1 | 0 | | | 0.0 | - Hello world.
            vtt/webvtt-py__teams_timeframe.vtt | vtt | 2 | 2 | Adrian Petrescu;Yuri Bakulin | Yuri Bakulin | 0.0 | There you go.
            vtt/webvtt-py__youtube_dl.vtt | vtt | 1 | 0 | | | 286.07 | yeah what this will happen is I'm telling
            vtt/zoomstudentengagement__GMT20240124-202901_Recording.cc.vtt | vtt | 1 | 0 | | | 68.0 | This doesn't. This as a nerd, it's the window that we use to write our
            vtt/zoomstudentengagement__GMT20240124-202901_Recording.transcript.vtt | vtt | 25 | 5 | Conor Healy;Dr. Melissa Ko;Ryan Sloan;Shreeharsh Kelkar;Srijani Ghosh | Srijani Ghosh | 0.05 | Hi!
            srt/SwiftSubtitles__26-transcript.srt | srt | 1 | 0 | | | 0.001 | I'm Scott. I'm Russell. And I'm Leo. This is Spitball.
            srt/pysrt__bom-utf-16-le.srt | srt | 1 | 0 | | | 6.5 | About 2 months ago I found myself on the comment section of YouTube
            srt/pysrt__bom-utf-8.srt | srt | 1 | 0 | | | 6.5 | About 2 months ago I found myself on the comment section of YouTube
            srt/pysrt__capability_tester.srt | srt | 1 | 0 | | | 0.0 | Don't show this text it may be used to insert hidden data SubRip subtitles capability tester
            txt/ELITR-minuting__ICSI-Bed003__conv_by_topic.txt | txt | 969 | 5 | A;B;C;D;E | C | | Nice .
            txt/ethereum-pm__AllCoreDevs-EL-meeting-100.md | md | 213 | 20 | Hudson;Micah;Peter;Martin;James;James Prestwich;Tomasz;Artem;Jame;Axic | Hudson | | All right, hello, everyone, and welcome to ethereum core developer
            txt/ethereum-pm__acdc-175_2026-02-19__chat.txt | chat | 35 | 20 | Sanggu Han;stokes;kingy_sigp;Toni Wahrstätter;Justin Traglia;Ansgar Dietrichs | Sanggu Han | 341.0 | sounds great
            txt/zoomstudentengagement__GMT20240124-202901_RecordingnewChat.txt | chat | 6 | 3 | Dr. Melissa Ko;Ryan Sloan;Shreeharsh Kelkar | Ryan Sloan | 316.0 | Let’s try to stay muted unless speaking up, just to reduce echo
            summaries/qmsum__Bed016.json | qmsum | 724 | 6 | Grad A;Grad B;Grad C;Grad D;Grad F;Professor E | Grad A | | Ah , so comfortable .
            summaries/qmsum__ES2004a.json | qmsum | 289 | 4 | Industrial Designer;Marketing;Project Manager;User Interface | User Interface | | Hmm hmm hmm .
            summaries/qmsum__IS1003a.json | qmsum | 244 | 4 | Industrial Designer;Marketing;Project Manager;User Interface | Project Manager | | So we can start ?
            summaries/qmsum__education_17.json | qmsum | 131 | 11 | Lynne Neagle AM;Julie Morgan AM;Dawn Bowden AM;Janet Finch-Saunders AM;Dr Rachel Bowen | Lynne Neagle AM | | Good morning, everyone. Welcome to the Children, Young People and Education
            """;

    @ParameterizedTest(name = "{0}")
    @CsvSource(delimiter = '|', textBlock = TABLE)
    void corpusFile(String file, String format, int segments, int speakerCount, String someSpeakers,
                    String firstSpeaker, Double firstStart, String firstText) throws IOException {
        Path path = TestCorpus.file(file);
        IngestResult result = new Ingestor(1).ingest(path.getFileName().toString(), Files.readAllBytes(path));
        assertThat(result).as(String.valueOf(result)).isInstanceOf(IngestResult.Ready.class);
        Transcript t = ((IngestResult.Ready) result).transcript();

        assertThat(t.format()).isEqualTo(format);
        assertThat(t.segments()).hasSize(segments);
        Set<String> speakers = t.segments().stream().map(Segment::speaker).filter(Objects::nonNull).collect(Collectors.toSet());
        assertThat(speakers).hasSize(speakerCount);
        if (someSpeakers != null) assertThat(speakers).containsAll(Arrays.asList(someSpeakers.split(";")));
        Segment first = t.segments().getFirst();
        assertThat(first.speaker()).isEqualTo(firstSpeaker);
        assertThat(first.startSeconds()).isEqualTo(firstStart);
        assertThat(first.text()).startsWith(firstText);
    }

    @Test
    void theTableCoversEveryCorpusTranscript() throws IOException {
        Set<String> inTable = TABLE.lines().map(l -> l.split("\\|")[0].strip()).collect(Collectors.toSet());
        Set<String> files = CorpusIngestTest.transcriptFiles().map(CorpusIngestTest::relative).collect(Collectors.toSet());

        assertThat(inTable).containsAll(files);
        if (TestCorpus.shared().isPresent()) assertThat(inTable).isEqualTo(files);
    }
}
