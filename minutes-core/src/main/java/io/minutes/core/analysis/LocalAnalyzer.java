package io.minutes.core.analysis;

import io.minutes.core.domain.Analysis;
import io.minutes.core.domain.Transcript;
import io.minutes.core.domain.Usage;
import io.minutes.core.port.Analyzer;

import java.util.List;
import java.util.Objects;

/**
 * The built-in offline analyzer ("local"): extractive summary, action items, decisions, open
 * questions, topics and participant statistics from the transcript alone. No network, no model:
 * the same transcript always gives byte-identical minutes. Stateless, so safe to share across threads.
 */
public final class LocalAnalyzer implements Analyzer {

    public static final String NAME = "local";

    @Override
    public String name() {
        return NAME;
    }

    @Override
    public Result analyze(Request request) {
        Objects.requireNonNull(request, "request");
        return new Result(analyze(request.title(), request.transcript()), Usage.NONE);
    }

    /** The minutes of one transcript; {@code title} is passed through. */
    public Analysis analyze(String title, Transcript transcript) {
        Objects.requireNonNull(transcript, "transcript");
        List<Sentence> sentences = SentenceSplitter.split(transcript);
        TermWeights weights = TermWeights.of(sentences);
        return new Analysis(
                title,
                Summarizer.summarize(sentences, weights),
                ActionItemExtractor.extract(sentences, Participants.addressableNames(transcript), Participants.fullNames(transcript)),
                DecisionExtractor.extract(sentences),
                OpenQuestionExtractor.extract(sentences, weights),
                TopicExtractor.extract(sentences),
                Participants.of(transcript, sentences));
    }
}
