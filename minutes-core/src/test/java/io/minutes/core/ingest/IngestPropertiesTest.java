package io.minutes.core.ingest;

import static java.nio.charset.StandardCharsets.UTF_8;
import static org.assertj.core.api.Assertions.assertThat;

import io.minutes.core.domain.Segment;
import io.minutes.core.domain.Transcript;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.constraints.Size;

/**
 * Properties of ingestion: whatever the bytes, a parser answers with a transcript or a typed {@link ParseException}
 * that names a line, never another exception; and what the writers write, the parsers read back to the same segments.
 */
class IngestPropertiesTest {

    @FunctionalInterface
    interface LineParser {
        ParsedTranscript parse(List<String> lines) throws ParseException;
    }

    private static void parsesOrNamesALine(LineParser parser, String text) {
        try {
            ParsedTranscript parsed = parser.parse(Lines.split(text));
            assertThat(parsed.pieces()).allMatch(Objects::nonNull);
            Normaliser.normalise(parsed.pieces());
        } catch (ParseException e) {
            assertThat(e.line()).as(e.getMessage()).isBetween(1, Lines.split(text).size());
            assertThat(e.problem()).isNotBlank();
        }
    }

    // ---- arbitrary input never breaks a parser ----

    @Property(tries = 300)
    void vttOnArbitraryText(@ForAll("subtitleLike") String text) {
        parsesOrNamesALine(VttParser::parse, text);
        parsesOrNamesALine(VttParser::parse, "WEBVTT\n\n" + text);
    }

    @Property(tries = 300)
    void srtOnArbitraryText(@ForAll("subtitleLike") String text) {
        parsesOrNamesALine(SrtParser::parse, text);
    }

    @Property(tries = 300)
    void textMarkdownAndChatOnArbitraryText(@ForAll("subtitleLike") String text) {
        parsesOrNamesALine(lines -> PlainTextParser.parse(lines, false), text);
        parsesOrNamesALine(lines -> PlainTextParser.parse(lines, true), text);
        parsesOrNamesALine(ZoomChatParser::parse, text);
    }

    @Property(tries = 300)
    void jsonOnArbitraryText(@ForAll("jsonLike") String text) {
        try {
            Normaliser.normalise(JsonTranscriptParser.parse(text).pieces());
        } catch (ParseException e) {
            assertThat(e.line()).as(e.getMessage()).isBetween(1, Lines.split(text).size());
        }
    }

    @Property(tries = 100)
    void docxOnArbitraryDocumentXml(@ForAll("xmlLike") String xml) {
        try {
            PlainTextParser.parse(DocxReader.lines(Docx.withDocumentXml(xml)), false);
        } catch (ParseException e) {
            assertThat(e.line()).as(e.getMessage()).isBetween(1, Lines.split(xml).size());
        }
    }

    /** Through the front door, any bytes at all: a result, never an exception and never an internal error. */
    @Property(tries = 500)
    void ingestorOnArbitraryBytes(@ForAll @Size(max = 400) byte[] bytes, @ForAll("extensions") String extension) {
        IngestResult result = new Ingestor(0).ingest("f." + extension, bytes);
        if (result instanceof IngestResult.Unreadable u) {
            assertThat(u.message()).startsWith("f." + extension + ": ").doesNotContain("internal error");
        }
    }

    @Provide
    Arbitrary<String> extensions() {
        return Arbitraries.of("vtt", "srt", "txt", "md", "json", "docx", "bin");
    }

    /** Strings made of the pieces subtitle files are made of, so the parsers' deeper paths are reached. */
    @Provide
    Arbitrary<String> subtitleLike() {
        Arbitrary<String> token = Arbitraries.oneOf(
                Arbitraries.of("WEBVTT", "NOTE", "STYLE", "-->", " --> ", "00:00:01.000", "0:0:0.5", "00:01,5", "1",
                        "\n", "\r\n", "\r", "\n\n", "\t", "<v Ann>", "</v>", "<v", ">>", "&gt;", "&#99999999;", "&", "Ann:",
                        "**Bob** - ", "[00:01:02]", "<c>", "<00:00:01.000>", "[Music]", "{\\an8}", "\uFEFF", " ", "  0:12"),
                Arbitraries.strings().ofMaxLength(8));
        return token.list().ofMaxSize(40).map(parts -> String.join("", parts));
    }

    @Provide
    Arbitrary<String> jsonLike() {
        Arbitrary<String> token = Arbitraries.oneOf(
                Arbitraries.of("{", "}", "[", "]", ",", ":", "\"segments\"", "\"meeting_transcripts\"", "\"speaker\"",
                        "\"text\"", "\"content\"", "\"start\"", "\"annotations\"", "\"Ann\"", "1.5", "-1", "1e999", "null",
                        "true", "\"\\u12\"", "\n", " "),
                Arbitraries.strings().ofMaxLength(5));
        return token.list().ofMaxSize(40).map(parts -> String.join("", parts));
    }

    @Provide
    Arbitrary<String> xmlLike() {
        Arbitrary<String> token = Arbitraries.oneOf(
                Arbitraries.of("<w:p>", "</w:p>", "<w:t>", "</w:t>", "<w:br/>", "<w:tab/>", "Ann: hi", "&amp;", "&x;",
                        "<!DOCTYPE d [<!ENTITY x \"y\">]>", "<![CDATA[a]]>", "\n", "<", ">"),
                Arbitraries.strings().ofMaxLength(5));
        return token.list().ofMaxSize(30).map(parts -> "<w:document xmlns:w=\"" + Docx.W + "\"><w:body>"
                + String.join("", parts) + "</w:body></w:document>");
    }

    // ---- writer -> parser round trips ----

    private static Transcript readBack(Transcript t, TranscriptWriter.Target target) {
        String text = TranscriptWriter.write(t, null, target);
        IngestResult result = new Ingestor(0).ingest("t." + target.name().toLowerCase(), text.getBytes(UTF_8));
        assertThat(result).as("%s\n%s", result, text).isInstanceOf(IngestResult.Ready.class);
        return ((IngestResult.Ready) result).transcript();
    }

    @Property(tries = 100)
    void vttRoundTripIsLossless(@ForAll("timedTranscripts") Transcript t) {
        assertThat(readBack(t, TranscriptWriter.Target.VTT).segments()).isEqualTo(t.segments());
    }

    @Property(tries = 100)
    void jsonRoundTripIsLossless(@ForAll("transcripts") Transcript t) {
        assertThat(readBack(t, TranscriptWriter.Target.JSON).segments()).isEqualTo(t.segments());
    }

    /** SubRip has no speaker syntax: "Name:" labels read back as speakers when every turn has one (or none has). */
    @Property(tries = 100)
    void srtRoundTripIsLossless(@ForAll("timedTranscriptsAllNamedOrNone") Transcript t) {
        assertThat(readBack(t, TranscriptWriter.Target.SRT).segments()).isEqualTo(t.segments());
    }

    /** Text keeps speakers, words, annotations and start times; it has no end times. */
    @Property(tries = 100)
    void txtRoundTripKeepsAllButEndTimes(@ForAll("transcriptsAllNamedOrNone") Transcript t) {
        List<Segment> withoutEnds = t.segments().stream()
                .map(s -> new Segment(s.speaker(), s.startSeconds(), null, s.text(), s.annotations())).toList();
        assertThat(readBack(t, TranscriptWriter.Target.TXT).segments()).isEqualTo(withoutEnds);
    }

    @Provide
    Arbitrary<Transcript> transcripts() {
        return transcripts(false, false);
    }

    @Provide
    Arbitrary<Transcript> timedTranscripts() {
        return transcripts(true, false);
    }

    @Provide
    Arbitrary<Transcript> timedTranscriptsAllNamedOrNone() {
        return transcripts(true, true);
    }

    @Provide
    Arbitrary<Transcript> transcriptsAllNamedOrNone() {
        return transcripts(false, true);
    }

    /** Normalised transcripts, as ingestion makes them: no two neighbours with one named speaker. */
    private static Arbitrary<Transcript> transcripts(boolean timed, boolean allNamedOrNone) {
        Arbitrary<String> name = Arbitraries.of("Ann", "Bob", "Dr. Melissa Ko", "Zoë", "O'Brien", "Jean-Luc", "Speaker 2");
        Arbitrary<String> word = Arbitraries.oneOf(
                Arbitraries.strings().withCharRange('a', 'z').withChars("ÄéßçЖ日本0123456789").ofMinLength(1).ofMaxLength(12),
                Arbitraries.of("Hello,", "world.", "Yes!", "why?", "(maybe)", "it's", "--", "50%", "\"quoted\"", "a&b", "x<y"));
        Arbitrary<String> text = word.list().ofMinSize(1).ofMaxSize(40).map(ws -> String.join(" ", ws))
                .filter(t -> t.codePoints().anyMatch(Character::isLetterOrDigit));
        Arbitrary<List<String>> annotations = Arbitraries.of("laugh", "Music", "inaudible", "crosstalk").list().ofMaxSize(2);
        Arbitrary<Integer> gapMs = Arbitraries.integers().between(0, 5_000);
        Arbitrary<Integer> lengthMs = Arbitraries.integers().between(0, 60_000);
        Arbitrary<Boolean> named = Arbitraries.of(true, false);
        Arbitrary<Raw> raw = Combinators.combine(name, named, text, annotations, gapMs, lengthMs).as(Raw::new);
        return Combinators.combine(raw.list().ofMinSize(1).ofMaxSize(12), named, Arbitraries.of(true, false))
                .as((raws, everyoneNamed, withTimes) -> build(raws, timed || withTimes, allNamedOrNone, everyoneNamed));
    }

    private record Raw(String name, boolean named, String text, List<String> annotations, int gapMs, int lengthMs) {
    }

    private static Transcript build(List<Raw> raws, boolean timed, boolean allNamedOrNone, boolean everyoneNamed) {
        List<Segment> segments = new ArrayList<>();
        long at = 0;
        for (Raw r : raws) {
            String speaker = (allNamedOrNone ? everyoneNamed : r.named()) ? r.name() : null;
            if (speaker != null && !segments.isEmpty() && speaker.equals(segments.getLast().speaker())) continue;
            long start = at + r.gapMs();
            long end = start + r.lengthMs();
            at = end;
            segments.add(timed ? new Segment(speaker, start / 1000.0, end / 1000.0, r.text(), r.annotations())
                    : new Segment(speaker, null, null, r.text(), r.annotations()));
        }
        return new Transcript("test", segments);
    }
}
