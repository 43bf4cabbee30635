package io.minutes.core.style;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.minutes.core.domain.Segment;
import io.minutes.core.domain.Transcript;
import io.minutes.core.ingest.IngestResult;
import io.minutes.core.ingest.Ingestor;
import io.minutes.core.testing.TestCorpus;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The auto template on every sample and on the corpus meetings whose kind is known. Labels: the council budget
 * workshop sample, the Oakland city council captions and the Seattle council briefing (cdp-backend) are council
 * meetings; the product sync sample is general (it settles a launch date and hands out work: a decision meeting, not
 * a round of done / next / blocked); the Zoom sample (instructors discussing a student-engagement tool) is general;
 * the Ethereum ACDC 175 call and the AllCoreDevs #100 notes are general (technical coordination calls); the QMSum
 * ES2004a and IS1003a product-design kick-offs, the ICSI Bed016 and Bed003 research meetings are general; the Welsh
 * Assembly committee's evidence session (QMSum education_17) is general: it hears witnesses and moves, seconds and
 * votes nothing, so a council's Motions / Votes / Outcomes would stay empty. The corpus holds no stand-up,
 * retrospective, customer call or one-to-one, so those kinds are shown on written rounds below.
 */
class TemplateClassifierTest {

    static Transcript read(Path file) throws IOException {
        if (file.getFileName().toString().startsWith("qmsum__")) {
            List<Segment> segments = new ArrayList<>();
            JsonNode root = new ObjectMapper().readTree(file.toFile());
            for (JsonNode turn : root.get("meeting_transcripts")) {
                segments.add(Segment.of(turn.get("speaker").asText(), turn.get("content").asText()));
            }
            return new Transcript("qmsum", segments);
        }
        IngestResult result = new Ingestor(1).ingest(file.getFileName().toString(), Files.readAllBytes(file));
        assertThat(result).as(file.toString()).isInstanceOf(IngestResult.Ready.class);
        return ((IngestResult.Ready) result).transcript();
    }

    static Path sample(String name) {
        return Path.of(System.getProperty("minutes.root", "../"), "samples", name);
    }

    @ParameterizedTest(name = "{0} is a {1} meeting")
    @CsvSource({
            "council-budget-workshop.txt, council",
            "product-sync-2026-11-16.vtt, general",
            "GMT20240124-202901_Recording.transcript.vtt, general",
    })
    void samplesGetTheTemplateOfTheirKind(String file, String kind) throws IOException {
        assertThat(Path.of(System.getProperty("minutes.root", "../"), "samples").toFile().list())
                .as("every sample is labelled here").hasSize(3);
        Transcript t = read(sample(file));
        assertThat(TemplateClassifier.kind(t)).isEqualTo(kind);
    }

    @ParameterizedTest(name = "{0} is a {1} meeting")
    @CsvSource({
            "vtt/cdp-backend__oakland_captions.vtt, council",
            "vtt/cdp-backend__brief_080221_2012161.vtt, council",
            "vtt/ethereum-pm__acdc-175_2026-02-19__transcript.vtt, general",
            "txt/ethereum-pm__AllCoreDevs-EL-meeting-100.md, general",
            "summaries/qmsum__ES2004a.json, general",
            "summaries/qmsum__IS1003a.json, general",
            "summaries/qmsum__Bed016.json, general",
            "txt/ELITR-minuting__ICSI-Bed003__conv_by_topic.txt, general",
            "summaries/qmsum__education_17.json, general",
            "vtt/zoomstudentengagement__GMT20240124-202901_Recording.transcript.vtt, general",
    })
    void labelledCorpusMeetingsGetTheTemplateOfTheirKind(String file, String kind) throws IOException {
        Transcript t = read(TestCorpus.file(file));
        assertThat(TemplateClassifier.kind(t)).isEqualTo(kind);
    }

    @Test
    void aStandUpRoundIsAStandUp() {
        Transcript standUp = new Transcript("txt", List.of(
                Segment.of("Ana", "Yesterday I finished the login page and merged it. Today I'm working on the password reset ticket. No blockers."),
                Segment.of("Ben", "Yesterday I reviewed two pull requests. Today I'm working on the sprint report. I'm blocked on the staging database."),
                Segment.of("Cem", "Yesterday I was out. Today I pick up the next ticket on the board. No blockers from me.")));
        assertThat(TemplateClassifier.kind(standUp)).isEqualTo("stand-up");
    }

    @Test
    void aMeetingWithoutSignsIsGeneral() {
        Transcript chat = new Transcript("txt", List.of(Segment.of("Ana", "Let us look at the numbers for the quarter."),
                Segment.of("Ben", "They look fine to me, nothing to add.")));
        assertThat(TemplateClassifier.kind(chat)).isEqualTo("general");
    }

    @Test
    void aChosenKindThatTheNodeDoesNotKnowFallsBackToGeneral() {
        assertThat(TemplateClassifier.choose(new Transcript("txt", List.of(Segment.of("A", "hello"))), Templates.builtIn()))
                .isEqualTo(Templates.GENERAL);
    }
}
