package io.minutes.core.analysis;

import io.minutes.core.domain.Analysis;
import io.minutes.core.domain.MinutesWarning;
import io.minutes.core.domain.Transcript;
import io.minutes.core.domain.Usage;
import io.minutes.core.port.Analyzer;
import io.minutes.core.style.LanguageChoice;
import io.minutes.core.style.Style;

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
        Analysis minutes = analyze(request.title(), request.transcript());
        return new Result(request.style() == null ? minutes : styled(minutes, request.style(), request.transcript()), Usage.NONE);
    }

    /**
     * What the built-in analyzer can do of a style: it writes in the meeting's own words, so it reports the
     * language it found and says, as a warning, that it cannot translate; of a template it applies a
     * stand-up's person-by-person round and says that it applied only the general shape of any other.
     */
    static Analysis styled(Analysis minutes, Style style, Transcript transcript) {
        Analysis out = minutes.withLanguage(style.spokenLanguage()).withTemplate(style.template().name());
        if (style.translates()) {
            out = out.withWarning(MinutesWarning.cannotTranslate(LanguageChoice.englishName(style.spokenLanguage()),
                    LanguageChoice.englishName(style.language())));
        }
        if (style.template().sections().isEmpty()) return out;
        if (style.template().perPerson() && style.template().sectionNames().equals(List.of("Done", "Next", "Blocked"))) {
            return out.withSections(StandUpRound.of(SentenceSplitter.split(transcript)));
        }
        return out.withWarning(MinutesWarning.templateShapeOnly(style.template().name(), style.template().sectionNames()));
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
