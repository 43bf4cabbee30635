package io.minutes.core.eval;

import io.minutes.core.domain.ActionItem;
import io.minutes.core.domain.Analysis;
import io.minutes.core.domain.Evidence;
import io.minutes.core.domain.Finding;
import io.minutes.core.domain.Segment;
import io.minutes.core.port.Analyzer;
import io.minutes.core.trust.EvidenceCheck;
import io.minutes.core.port.AnalyzerException;

import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Objects;
import java.util.Set;
import java.util.function.Predicate;

/**
 * Runs meetings that have reference minutes through an analyzer and scores its minutes: action items and
 * decisions by {@link ItemMatching} (precision, recall, owners matched), owners that are speakers of the
 * transcript, and ROUGE-1 / ROUGE-L F1 of the summary. Meetings run one after another: this is a measurement,
 * not a batch.
 */
public final class Evaluation {

    private Evaluation() {
    }

    /**
     * {@code answersCheckedAgainstSchema}: the analyzer's answers are validated against the analysis schema and
     * repaired when they are not ({@link Analysis#REPAIRED_ANSWER_WARNING}): a provider's, not the built-in analyzer's.
     */
    public static Scores.Report run(Analyzer analyzer, List<Reference> references, boolean answersCheckedAgainstSchema) {
        Objects.requireNonNull(analyzer, "analyzer");
        List<Scores.Meeting> meetings = new ArrayList<>();
        for (Reference ref : references) {
            try {
                Analysis analysis = analyzer.analyze(new Analyzer.Request(ref.id(), ref.id(), ref.transcript(), null)).analysis();
                meetings.add(score(ref, analysis, answersCheckedAgainstSchema
                        ? !analysis.warnings().contains(Analysis.REPAIRED_ANSWER_WARNING) : null));
            } catch (AnalyzerException e) {
                meetings.add(new Scores.Meeting(ref.id(), ref.source(), ref.caveat(), null, null, null, Scores.Owners.ZERO,
                        Scores.EvidenceFound.ZERO, null, null, e.getMessage(), List.of(), List.of()));
            }
        }
        return new Scores.Report(analyzer.name(), meetings, overall(meetings));
    }

    public static Scores.Meeting score(Reference ref, Analysis analysis, Boolean schemaValidFirstTry) {
        List<String> actions = analysis.actionItems().stream().map(ActionItem::description).toList();
        List<String> decisions = analysis.decisions().stream().map(Finding::text).toList();
        Scores.Counts actionCounts = ref.actions() == null ? null
                : counts(actions, ref.actions().stream().map(Reference.Item::description).toList());
        Scores.Counts decisionCounts = ref.decisions() == null ? null : counts(decisions, ref.decisions());
        Scores.Counts combined = null;
        if (ref.actions() != null && ref.decisions() != null) {
            List<String> all = new ArrayList<>(actions);
            all.addAll(decisions);
            List<String> gold = new ArrayList<>(ref.actions().stream().map(Reference.Item::description).toList());
            gold.addAll(ref.decisions());
            combined = counts(all, gold);
        }
        Scores.Summary summary = null;
        if (ref.summary() != null && !ref.summary().isBlank()) {
            summary = new Scores.Summary(Rouge.rouge1(analysis.summary(), ref.summary()).f1(),
                    Rouge.rougeL(analysis.summary(), ref.summary()).f1());
        }
        return new Scores.Meeting(ref.id(), ref.source(), ref.caveat(), actionCounts, decisionCounts, combined,
                owners(ref, analysis.actionItems()), evidence(ref, analysis), summary, schemaValidFirstTry, null,
                analysis.actionItems().stream().map(Evaluation::describe).toList(), decisions);
    }

    static Scores.Counts counts(List<String> extracted, List<String> reference) {
        int extractedMatched = 0;
        for (String e : extracted) if (reference.stream().anyMatch(g -> ItemMatching.matches(e, g))) extractedMatched++;
        int referenceMatched = 0;
        for (String g : reference) if (extracted.stream().anyMatch(e -> ItemMatching.matches(e, g))) referenceMatched++;
        return new Scores.Counts(extracted.size(), reference.size(), extractedMatched, referenceMatched);
    }

    private static Scores.Owners owners(Reference ref, List<ActionItem> items) {
        Set<String> speakers = new HashSet<>();
        for (Segment s : ref.transcript().segments()) if (s.speaker() != null) speakers.add(nameKey(s.speaker()));
        speakers.remove("");
        int owned = 0;
        int participants = 0;
        for (ActionItem item : items) {
            if (item.owner() == null || item.owner().isBlank()) continue;
            owned++;
            if (speakers.contains(nameKey(item.owner()))) participants++;
        }
        int referenceOwned = 0;
        int ownerMatched = 0;
        if (ref.actions() != null) {
            for (Reference.Item gold : ref.actions()) {
                if (gold.owner() == null) continue;
                Predicate<ActionItem> matching = i -> ItemMatching.matches(i.description(), gold.description());
                if (items.stream().noneMatch(matching)) continue;
                referenceOwned++;
                if (items.stream().filter(matching).anyMatch(i -> ItemMatching.sameOwner(i.owner(), gold.owner()))) ownerMatched++;
            }
        }
        return new Scores.Owners(owned, participants, owned - participants, referenceOwned, ownerMatched);
    }

    private static Scores.EvidenceFound evidence(Reference ref, Analysis analysis) {
        List<Evidence> cited = new ArrayList<>();
        analysis.actionItems().forEach(i -> cited.add(i.evidence()));
        analysis.decisions().forEach(f -> cited.add(f.evidence()));
        analysis.openQuestions().forEach(f -> cited.add(f.evidence()));
        int withEvidence = (int) cited.stream().filter(Objects::nonNull).count();
        int found = (int) cited.stream().filter(e -> e != null && EvidenceCheck.found(ref.transcript(), e)).count();
        return new Scores.EvidenceFound(cited.size(), withEvidence, found);
    }

    /** Names compared as the transcript spells them, ignoring case and runs of spaces. */
    private static String nameKey(String name) {
        return name.strip().replaceAll("\\s+", " ").toLowerCase(Locale.ROOT);
    }

    private static String describe(ActionItem item) {
        return item.description() + (item.owner() == null ? "" : " [owner: " + item.owner() + "]")
                + (item.due() == null ? "" : " [due: " + item.due() + "]");
    }

    static Scores.Overall overall(List<Scores.Meeting> meetings) {
        Scores.Counts actions = Scores.Counts.ZERO;
        Scores.Counts decisions = Scores.Counts.ZERO;
        Scores.Counts combined = Scores.Counts.ZERO;
        Scores.Owners owners = Scores.Owners.ZERO;
        Scores.EvidenceFound evidence = Scores.EvidenceFound.ZERO;
        double r1 = 0;
        double rl = 0;
        int summaries = 0;
        int failed = 0;
        int firstTry = 0;
        int reported = 0;
        for (Scores.Meeting m : meetings) {
            if (m.error() != null) failed++;
            actions = actions.plus(m.actions());
            decisions = decisions.plus(m.decisions());
            combined = combined.plus(m.combined());
            owners = owners.plus(m.owners());
            evidence = evidence.plus(m.evidence());
            if (m.summary() != null) {
                r1 += m.summary().rouge1F1();
                rl += m.summary().rougeLF1();
                summaries++;
            }
            if (m.schemaValidFirstTry() != null) {
                reported++;
                if (m.schemaValidFirstTry()) firstTry++;
            }
        }
        Scores.Summary mean = summaries == 0 ? null : new Scores.Summary(r1 / summaries, rl / summaries);
        return new Scores.Overall(meetings.size(), failed, actions, decisions, combined, owners, evidence, mean, summaries, firstTry, reported);
    }
}
