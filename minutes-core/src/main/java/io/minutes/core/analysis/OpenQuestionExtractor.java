package io.minutes.core.analysis;

import io.minutes.core.domain.Finding;
import io.minutes.core.text.RegexWork;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * Questions left for later: explicit markers ("open question", "TBD", "we still need to figure out",
 * "not sure whether") and substantive questions, ranked by how much meeting content they carry.
 * Backchannel and meeting-logistics questions ("right?", "can you hear me?"), roll calls, statements said with a
 * rising voice and requests ("Priya, can you ask legal...?": an action, not a question) are left out.
 */
final class OpenQuestionExtractor {

    static final int MAX_QUESTIONS = 5;

    private static final Pattern MARKER = Pattern.compile("(?i)"
            + "\\bopen\\s+(?:question|issue|point)s?\\b|\\btbd\\b|\\bto be (?:determined|decided|confirmed)\\b"
            + "|\\bstill\\s+(?:need|have)\\s+to\\s+(?:figure out|decide|work out|find out|determine|resolve)\\b"
            + "|\\bnot\\s+(?:sure|clear|certain)\\s+(?:whether|if|how|what|when|why)\\b"
            + "|\\bremains?\\s+to\\s+be\\s+seen\\b"
            + "|\\bneed\\s+to\\s+(?:decide|figure out)\\b");
    private static final Pattern LOGISTICS = Pattern.compile("(?i)"
            + "\\b(?:hear me|see my screen|see the screen|am i on|you there|is that right|does that make sense"
            + "|any (?:other )?questions|anything else|who(?:'s| is) next|shall we (?:start|begin)|ready to start"
            + "|can everyone|can you see|what do you think|how are you|are we recording"
            + "|note ?taker|for the notes|for the record|excused|absent|roll call)\\b");
    /**
     * A question asks: it opens (or goes on after a comma) with a question word or an auxiliary. "Pro tem thao is
     * excused and PRESIDENT Bas?" (a roll call) and statements said with a rising voice do not.
     */
    private static final Pattern ASKS = Pattern.compile("(?i)(?:^|,\\s*)(?:and\\s+|but\\s+|so\\s+|then\\s+)?"
            + "(?:what|what's|how|why|when|where|who|whom|whose|which|whether|should|shall|can|could|would|will|do|does|did"
            + "|is|are|was|were|has|have|had|may|might|must|isn't|aren't|don't|doesn't|didn't|won't|wouldn't|shouldn't|can't)\\b");
    private static final Pattern TAG_QUESTION = Pattern.compile(
            "(?i),\\s*(?:right|yeah|no|okay|ok|correct|isn't it|don't you think|you know|huh|eh)\\s*\\?$");
    private static final double MARKER_BONUS = 2.0;

    private OpenQuestionExtractor() {
    }

    static List<Finding> extract(List<Sentence> sentences, TermWeights weights) {
        List<Ranked> ranked = new ArrayList<>();
        for (Sentence s : sentences) {
            boolean marked = RegexWork.matcher(MARKER, s.text()).find();
            if (!marked && !isSubstantiveQuestion(s)) continue;
            Set<String> terms = new LinkedHashSet<>(s.terms());
            if (terms.size() < 3) continue;
            double score = weights.mass(terms) / Math.sqrt(s.wordCount()) + (marked ? MARKER_BONUS : 0);
            ranked.add(new Ranked(s, terms, score));
        }
        ranked.sort(Comparator.comparingDouble(Ranked::score).reversed()
                .thenComparingInt(r -> r.sentence.position()));
        List<Ranked> chosen = new ArrayList<>();
        List<Set<String>> seen = new ArrayList<>();
        for (Ranked r : ranked) {
            if (Phrases.isNearDuplicate(r.terms, seen)) continue;
            seen.add(r.terms);
            chosen.add(r);
            if (chosen.size() == MAX_QUESTIONS) break;
        }
        chosen.sort(Comparator.comparingInt(r -> r.sentence.position()));
        return chosen.stream().map(r -> new Finding(TextCleaner.capitalize(Phrases.trimOpeners(r.sentence.text())), r.sentence.evidence(), true))
                .toList();
    }

    private static boolean isSubstantiveQuestion(Sentence s) {
        return s.isQuestion() && s.wordCount() >= 7 && s.wordCount() <= 45 && RegexWork.matcher(ASKS, s.text()).find()
                && !RegexWork.matcher(LOGISTICS, s.text()).find() && !RegexWork.matcher(TAG_QUESTION, s.text()).find()
                && !ActionItemExtractor.isRequest(s);
    }

    private record Ranked(Sentence sentence, Set<String> terms, double score) {
    }
}
