package io.minutes.core.ingest;

import static java.nio.charset.StandardCharsets.UTF_8;
import static org.assertj.core.api.Assertions.assertThat;

import io.minutes.core.analysis.LocalAnalyzer;
import io.minutes.core.text.RegexWork;
import java.util.List;
import java.util.function.Function;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Example;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;

/**
 * Every parser and the local analyzer do work linear in their input, whatever its shape. Nothing is timed: the work
 * is the number of characters the regular expressions read ({@link RegexWork#count}), measured on the same adversarial
 * shape at two sizes. Catastrophic backtracking (a long run of spaces, thousands of unclosed tags) shows up as work
 * growing with the square or cube of the size.
 */
class ParsersStayLinearTest {

    private static final int SMALL = 500;
    private static final int LARGE = 4_000;
    /** Characters read per input character; the regexes of every stage together stay well below this. */
    private static final int MAX_READS_PER_CHAR = 400;

    private final Ingestor ingestor = new Ingestor(0);
    private final LocalAnalyzer analyzer = new LocalAnalyzer();

    /** A file name and how a format wraps the adversarial body. */
    record Shape(String fileName, Function<String, byte[]> wrap) {
        @Override
        public String toString() {
            return fileName;
        }
    }

    @Provide
    Arbitrary<Shape> shapes() {
        return Arbitraries.of(
                new Shape("body.vtt", b -> ("WEBVTT\n\n00:00:01.000 --> 00:00:04.000\n" + b + "\n").getBytes(UTF_8)),
                new Shape("voiced.vtt", b -> ("WEBVTT\n\n00:00:01.000 --> 00:00:04.000\n<v Ann>" + b + "\n\n"
                        + "00:00:05.000 --> 00:00:06.000\n" + b + "\n").getBytes(UTF_8)),
                new Shape("body.srt", b -> ("1\n00:00:01,000 --> 00:00:04,000\n" + b + "\n\n2\n00:00:05,000 --> 00:00:06,000\n"
                        + "Ann: " + b + "\n").getBytes(UTF_8)),
                new Shape("labelled.txt", b -> ("Alice: hello there this is a meeting about things.\na" + b
                        + "b\nBob: ok we decided.\n").getBytes(UTF_8)),
                new Shape("plain.txt", b -> b.getBytes(UTF_8)),
                new Shape("notes.md", b -> ("# Notes\n\n**Ann** - " + b + "\n\n" + b + "\n").getBytes(UTF_8)),
                new Shape("chat.txt", b -> ("00:01:02\tAnn:\thello\n00:01:03\t" + b + ":\t" + b + "\n").getBytes(UTF_8)),
                new Shape("t.json", b -> ("{\"segments\":[{\"speaker\":\"Ann\",\"text\":\"" + jsonEscape(b) + "\"}]}")
                        .getBytes(UTF_8)),
                new Shape("t.docx", b -> Docx.of(List.of("Ann: " + b, b))));
    }

    /** Short units that open a construct some pattern waits to see closed, plus the text around them. */
    @Provide
    Arbitrary<String> units() {
        Arbitrary<String> token = Arbitraries.of(" ", "  ", "\t", "a", "Ann", "<v ", "<v.x", "{\\", "{", "<", "<b ", "</",
                "<a-", "[", "(", ")", ":", "*", "**", "_", "-", ".", "!?", "&", "&#", "&#x", "@", ">>", "-->", "0:", "1",
                "\u2028", "\u0085", "\u00a0", ",", "'", "the ", "I'll ", "we ", "by the end of ", "so ", "uh ", "-");
        return token.list().ofMinSize(1).ofMaxSize(4).map(parts -> String.join("", parts));
    }

    @Property(tries = 80)
    void workStaysLinearInTheInputSize(@ForAll("shapes") Shape shape, @ForAll("units") String unit) {
        long small = work(shape, unit.repeat(SMALL));
        String largeBody = unit.repeat(LARGE);
        long large = work(shape, largeBody);
        double growth = (double) LARGE / SMALL;
        assertThat(large).as("regex reads for %s on \"%s\" x %d (x %d: %d)", shape, unit, LARGE, SMALL, small)
                .isLessThanOrEqualTo((long) (small * growth * 1.5) + 100_000)
                .isLessThanOrEqualTo(readLimit(largeBody));
    }

    /** Every shape holds the body at most twice, plus a short frame; a Word file's bytes are compressed. */
    private static long readLimit(String body) {
        return MAX_READS_PER_CHAR * (2L * body.length() + 1_000);
    }

    /** The regex reads of reading one file and, when it holds speech, analysing it with the local analyzer. */
    private long work(Shape shape, String body) {
        byte[] bytes = shape.wrap().apply(body);
        return RegexWork.count(() -> {
            IngestResult result = ingestor.ingest(shape.fileName(), bytes);
            if (result instanceof IngestResult.Unreadable u) {
                assertThat(u.message()).doesNotContain("internal error");
            }
            if (result instanceof IngestResult.Ready ready) analyzer.analyze(ready.title(), ready.transcript());
        });
    }

    /**
     * One 2 MB line of each adversarial unit, each in another format: read and analysed to the end, no stack overflow
     * and no internal error. (Linearity is shown above on smaller sizes; counting every read of 2 MB is slow.)
     */
    @Example
    void oneTwoMegabyteLineIsReadAndAnalysedInEveryFormat() {
        List<Shape> all = shapes().allValues().orElseThrow().toList();
        List<String> units = List.of(" ", "<v ", "{\\", "a ", "the the ", ". ", "- ", "Ann: ", "[", "<b ", "@ ", "so ",
                "also ", "I will also ", ", then", "a-", "\u2028");
        for (int i = 0; i < units.size(); i++) {
            Shape shape = all.get(i % all.size());
            String unit = units.get(i);
            byte[] bytes = shape.wrap().apply(unit.repeat(2_000_000 / unit.length()));
            IngestResult result = ingestor.ingest(shape.fileName(), bytes);
            if (result instanceof IngestResult.Unreadable u) assertThat(u.message()).doesNotContain("internal error");
            if (result instanceof IngestResult.Ready ready) analyzer.analyze(ready.title(), ready.transcript());
        }
    }

    // ---- the repros of issue 14, each once took minutes or overflowed the stack ----

    @Example
    void speakerLabelOnALineWithThreeThousandSpacesIsNotCubic() {
        String text = "Alice: hello there this is a meeting about things.\n" + "a" + " ".repeat(3000) + "b\nBob: ok we decided.\n";
        IngestResult[] result = new IngestResult[1];
        long reads = RegexWork.count(() -> result[0] = ingestor.ingest("x.txt", text.getBytes(UTF_8)));
        assertThat(reads).isLessThanOrEqualTo(readLimit(text));
        assertThat(((IngestResult.Ready) result[0]).transcript().segments())
                .extracting(io.minutes.core.domain.Segment::speaker).containsExactly("Alice", "Bob");
    }

    @Example
    void vttWithFiftyThousandUnclosedVoiceTagsIsNotQuadratic() {
        String text = "WEBVTT\n\n00:00:01.000 --> 00:00:04.000\n" + "<v ".repeat(50_000) + "\n";
        assertThat(work(new Shape("voices.vtt", t -> text.getBytes(UTF_8)), "")).isLessThanOrEqualTo(readLimit(text));
    }

    @Example
    void srtWithAHundredThousandAssOverridesIsNotQuadratic() {
        String text = "1\n00:00:01,000 --> 00:00:04,000\n" + "{\\".repeat(100_000) + "\n";
        assertThat(work(new Shape("ass.srt", t -> text.getBytes(UTF_8)), "")).isLessThanOrEqualTo(readLimit(text));
    }

    @Example
    void aTwoMegabyteSingleCueDoesNotOverflowTheLocalAnalyzersStack() {
        String cue = "We decided to ship the new plan. " + "okay ".repeat(400_000);
        String text = "WEBVTT\n\n00:00:01.000 --> 00:00:04.000\n<v Ann>" + cue + "\n";
        IngestResult.Ready ready = (IngestResult.Ready) ingestor.ingest("long.vtt", text.getBytes(UTF_8));
        var analysis = analyzer.analyze(ready.title(), ready.transcript());
        assertThat(analysis.decisions()).isNotEmpty();
    }

    static String jsonEscape(String s) {
        StringBuilder sb = new StringBuilder();
        for (char c : s.toCharArray()) {
            if (c == '"' || c == '\\') sb.append('\\').append(c);
            else if (c < 0x20 || c == '\u2028' || c == '\u0085') sb.append(String.format("\\u%04x", (int) c));
            else sb.append(c);
        }
        return sb.toString();
    }
}
