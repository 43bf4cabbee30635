package io.minutes.core.trust;

import io.minutes.core.analysis.LocalAnalyzer;
import io.minutes.core.domain.ActionItem;
import io.minutes.core.domain.Analysis;
import io.minutes.core.domain.Finding;
import io.minutes.core.domain.Segment;
import io.minutes.core.ingest.IngestResult;
import io.minutes.core.ingest.Ingestor;
import io.minutes.core.port.Analyzer;
import io.minutes.core.testing.TestCorpus;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.Set;
import java.util.stream.Collectors;
import java.util.stream.Stream;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The built-in analyzer's minutes of every real meeting of the corpus, as the engine keeps them (through
 * {@link CheckedAnalyzer}, dropping what is unsupported): no action owned by anyone but a speaker of the
 * transcript, and every item kept cites a segment whose text holds its quote.
 */
class BuiltInAnalyzerOnTheCorpusTest {
    private static final Ingestor INGESTOR = new Ingestor(Ingestor.DEFAULT_MIN_TRANSCRIPT_CHARS);

    static Stream<Path> meetings() {
        return Stream.of("vtt", "srt", "txt", "summaries").flatMap(TestCorpus::list)
                .filter(p -> !p.getParent().getFileName().toString().equals("summaries")
                        || p.getFileName().toString().startsWith("qmsum__"));
    }

    @ParameterizedTest(name = "{0}", allowZeroInvocations = true)
    @MethodSource("meetings")
    void everyOwnerIsASpeakerAndEveryKeptItemIsFoundWhereItCites(Path file) throws Exception {
        if (!(INGESTOR.ingest(file.getFileName().toString(), Files.readAllBytes(file)) instanceof IngestResult.Ready ready)) return;
        LocalAnalyzer local = new LocalAnalyzer();
        Analyzer.Request request = new Analyzer.Request("m", ready.title(), ready.transcript(), null);
        Analysis unchecked = local.analyze(request).analysis();
        Analysis kept = new CheckedAnalyzer(local, UnsupportedItems.DROP).analyze(request).analysis();

        Set<String> speakers = ready.transcript().segments().stream().map(Segment::speaker).filter(Objects::nonNull)
                .map(String::strip).collect(Collectors.toSet());
        assertThat(kept.actionItems()).extracting(ActionItem::owner).filteredOn(Objects::nonNull).allMatch(speakers::contains);
        assertThat(kept.unsupportedItems()).as("the built-in analyzer quotes what was said: %s", kept.warnings()).isZero();
        List<Object> cited = new ArrayList<>(kept.actionItems().stream().map(ActionItem::evidence).toList());
        cited.addAll(kept.decisions().stream().map(Finding::evidence).toList());
        cited.addAll(kept.openQuestions().stream().map(Finding::evidence).toList());
        assertThat(cited).doesNotContainNull();
        assertThat(kept.actionItems().size() + kept.decisions().size() + kept.openQuestions().size())
                .isEqualTo(unchecked.actionItems().size() + unchecked.decisions().size() + unchecked.openQuestions().size());
    }
}
