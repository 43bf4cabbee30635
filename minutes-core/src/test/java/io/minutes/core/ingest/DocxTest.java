package io.minutes.core.ingest;

import static java.nio.charset.StandardCharsets.UTF_8;
import static org.assertj.core.api.Assertions.assertThat;

import io.minutes.core.domain.Segment;
import io.minutes.core.domain.Transcript;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class DocxTest {

    private final Ingestor ingestor = new Ingestor(1);

    private Transcript ready(String name, byte[] bytes) {
        IngestResult result = ingestor.ingest(name, bytes);
        assertThat(result).as(String.valueOf(result)).isInstanceOf(IngestResult.Ready.class);
        return ((IngestResult.Ready) result).transcript();
    }

    @Test
    void otterAndTeamsWordExportsHaveNameAndTimeHeadersOverEachTurn() {
        byte[] docx = Docx.of(List.of(
                "Weekly sync",
                "Tue, Nov 24, 2026 3:30PM • 32:10",
                "Jane Doe  0:00",
                "Welcome everyone, let's start with the roadmap.",
                "It has two open items.",
                "",
                "John Smith\t0:12",
                "Thanks Jane. I will send the draft by Friday.",
                "Jane Doe  1:02:03",
                "Great, we decided to ship in March."));

        Transcript t = ready("Weekly sync_otter_ai.docx", docx);

        assertThat(t.format()).isEqualTo("docx");
        assertThat(t.segments()).containsExactly(
                new Segment("Jane Doe", 0.0, null, "Welcome everyone, let's start with the roadmap. It has two open items."),
                new Segment("John Smith", 12.0, null, "Thanks Jane. I will send the draft by Friday."),
                new Segment("Jane Doe", 3723.0, null, "Great, we decided to ship in March."));
        assertThat(t.warnings()).containsExactly("left out 2 line(s) outside speaker turns (before the first speaker "
                + "label or after a heading)");
    }

    @Test
    void olderTeamsWordTranscriptsAreTimedCaptionsWithTheNameOnItsOwnLine() {
        byte[] docx = Docx.of(List.of("0:0:0.0 --> 0:0:5.520", "Jane Doe", "Hello everyone, thanks for joining.", "",
                "0:0:5.520 --> 0:0:9.100", "Jane Doe", "Let's look at the budget.", "",
                "0:0:9.100 --> 0:0:12.0", "John Smith", "Yes."));

        assertThat(ready("Weekly sync.docx", docx).segments()).containsExactly(
                new Segment("Jane Doe", 0.0, 9.1, "Hello everyone, thanks for joining. Let's look at the budget."),
                new Segment("John Smith", 9.1, 12.0, "Yes."));
    }

    @Test
    void namePrefixedParagraphsAndLineBreaksInsideAParagraph() {
        byte[] docx = Docx.of(List.of("Ann: We agreed on the budget.\nBob: I'll check the numbers.", "Ann: Thanks & bye <3"));

        assertThat(ready("minutes.docx", docx).segments()).containsExactly(
                Segment.of("Ann", "We agreed on the budget."),
                Segment.of("Bob", "I'll check the numbers."),
                Segment.of("Ann", "Thanks & bye <3"));
    }

    @Test
    void anExternalEntityIsNeverResolved(@TempDir Path dir) throws IOException {
        Path secret = Files.writeString(dir.resolve("secret.txt"), "TOP-SECRET-PASSWORD");
        String xml = "<?xml version=\"1.0\"?>\n<!DOCTYPE w:document [<!ENTITY xxe SYSTEM \"" + secret.toUri() + "\">]>\n"
                + "<w:document xmlns:w=\"" + Docx.W + "\"><w:body><w:p><w:r><w:t>Ann: the password is &xxe; ok</w:t>"
                + "</w:r></w:p></w:body></w:document>";

        IngestResult result = ingestor.ingest("evil.docx", Docx.withDocumentXml(xml));

        assertThat(result.toString()).doesNotContain("TOP-SECRET");
        assertThat(result).isInstanceOf(IngestResult.Unreadable.class);
        assertThat(((IngestResult.Unreadable) result).message()).startsWith("evil.docx: line 3").contains("xxe");
    }

    @Test
    void anEntityExpansionBombIsNotExpanded() {
        String xml = "<?xml version=\"1.0\"?>\n<!DOCTYPE d [<!ENTITY a \"aaaaaaaaaa\"><!ENTITY b \"&a;&a;&a;&a;&a;&a;&a;&a;\">"
                + "<!ENTITY c \"&b;&b;&b;&b;&b;&b;&b;&b;&b;&b;\">]>\n<w:document xmlns:w=\"" + Docx.W + "\"><w:body><w:p><w:r>"
                + "<w:t>Ann: &c;</w:t></w:r></w:p></w:body></w:document>";

        IngestResult result = ingestor.ingest("laughs.docx", Docx.withDocumentXml(xml));

        assertThat(result).isInstanceOf(IngestResult.Unreadable.class);
        assertThat(result.toString()).doesNotContain("aaaaaaaaaa");
    }

    @Test
    void malformedDocumentXmlNamesTheLine() {
        String xml = "<?xml version=\"1.0\"?>\n<w:document xmlns:w=\"" + Docx.W + "\"><w:body>\n<w:p><w:t>Ann: hi</w:p>"
                + "</w:body></w:document>";

        IngestResult result = ingestor.ingest("broken.docx", Docx.withDocumentXml(xml));

        assertThat(((IngestResult.Unreadable) result).message()).startsWith("broken.docx: line 3, column ")
                .contains("word/document.xml: ");
    }

    @Test
    void aZipThatIsNotAWordFileSaysWhereArchivesGo() {
        IngestResult result = ingestor.ingest("calls.docx", Zips.of(Map.of("a.vtt", "WEBVTT\n".getBytes(UTF_8))));

        assertThat(((IngestResult.Unreadable) result).message())
                .isEqualTo("calls.docx: this is a ZIP archive of many files, not one transcript; a batch (minutes run, "
                        + "or an upload) reads every transcript inside it as its own meeting");
    }
}
