package io.minutes.core.analysis;

import io.minutes.core.domain.Finding;
import io.minutes.core.text.RegexWork;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import java.util.regex.Pattern;

/** Finds sentences that record a decision: "we decided / agreed", "let's go with", "decision:", "consensus is". */
final class DecisionExtractor {

    static final int MAX_DECISIONS = 8;

    /** Decisions that point back ("count that as a decision"): the decided content is said just before. */
    private static final String ANAPHORIC = "\\b(?:count\\s+that\\s+as\\s+a\\s+decision|that's\\s+(?:decided|settled|agreed)"
            + "|let's\\s+do\\s+that|so\\s+(?:be\\s+it|decided|agreed))\\b";
    private static final Pattern POINTS_BACK = Pattern.compile("(?i)" + ANAPHORIC);
    private static final Pattern DECISION = Pattern.compile("(?i)"
            + "\\b(?:we|we've|we have|everyone|everybody|all|the group|the team|the committee)\\s+(?:all\\s+|have\\s+|had\\s+)?"
            + "(?:decided|agreed|settled|concluded|chose|voted)\\b"
            + "|\\b(?:was|were|been|is|are|it's)\\s+(?:\\w+\\s+)?(?:decided|agreed)\\b"
            + "|\\bagreed\\s+(?:on|that|to)\\b"
            + "|\\blet's\\s+(?:go|stick|run|move forward)\\s+with\\b"
            + "|\\b(?:we'll|we will|we're going to|we are going to|we're gonna)\\s+(?:go|stick|proceed|move forward)\\s+with\\b"
            + "|\\bwe(?:'re| are)\\s+going\\s+to\\s+(?:ship|adopt|drop|release|launch)\\b"
            + "|\\b(?:the\\s+)?(?:final\\s+)?decision\\s+(?:is|was|has been)\\b|\\bdecision\\s*:"
            + "|\\bconsensus\\s+(?:is|was|seems)\\s+(?:that|to)\\b|\\bwe\\s+have\\s+(?:a\\s+)?consensus\\s+(?:on|that|here)\\b"
            + "|" + ANAPHORIC
            + "|\\bthe\\s+plan\\s+is\\s+to\\b|\\bwe(?:'re| are)\\s+(?:all\\s+)?(?:agreed|in agreement)\\b");
    private static final Pattern NOT_A_DECISION = Pattern.compile("(?i)"
            + "\\b(?:not|n't|never|yet to)\\s+(?:\\w+\\s+)?(?:decided|agreed|decide|agree)\\b"
            + "|\\b(?:if|whether|unless|until)\\b[^.]*\\b(?:decide|decided|agree|agreed)\\b"
            + "|^if\\b|\\bhave\\s+to\\s+(?:decide|agree)\\b|\\bneed\\s+to\\s+(?:decide|agree)\\b");

    /**
     * "What is the conclusion, for the note taker?": whoever answers next says what was decided. Common where a
     * chair asks for the outcome to be restated for the record (standards calls, councils, boards).
     */
    private static final Pattern ASKS_FOR_THE_OUTCOME = Pattern.compile("(?i)"
            + "\\bwhat(?:'s|\\s+is|\\s+was|\\s+are)\\s+(?:the\\s+|our\\s+)?(?:\\w+\\s+)?(?:answer|conclusion|decision|outcome|resolution|takeaway)s?\\b"
            + "|\\bfor\\s+the\\s+(?:note\\s*taker|notes|minutes|record)\\b.*\\b(?:conclusion|decision|outcome|summary|answer)\\b");
    private static final int MAX_ANSWER_WORDS = 40;

    private DecisionExtractor() {
    }

    static List<Finding> extract(List<Sentence> sentences) {
        List<Finding> decisions = new ArrayList<>();
        List<Set<String>> seen = new ArrayList<>();
        for (Sentence s : sentences) {
            String text = s.text();
            if (RegexWork.matcher(ASKS_FOR_THE_OUTCOME, text).find()) {
                List<Sentence> answer = answerTo(sentences, s);
                if (answer.isEmpty()) continue;
                String answered = String.join(" ", answer.stream().map(Sentence::text).toList());
                Set<String> terms = new LinkedHashSet<>(Tokenizer.terms(answered));
                if (terms.size() >= 2 && !Phrases.isNearDuplicate(terms, seen)) {
                    seen.add(terms);
                    // the answer's first sentence: the others may not follow it verbatim (a question between is left out)
                    decisions.add(new Finding(TextCleaner.capitalize(Phrases.trimOpeners(answered)), answer.getFirst().evidence(), true));
                    if (decisions.size() == MAX_DECISIONS) break;
                }
                continue;
            }
            if (s.isQuestion() || s.wordCount() < 5 || !RegexWork.matcher(DECISION, text).find()
                    || RegexWork.matcher(NOT_A_DECISION, text).find()) continue;
            if (RegexWork.matcher(POINTS_BACK, text).find()) text = withAntecedent(sentences, s);
            Set<String> terms = new LinkedHashSet<>(Tokenizer.terms(text));
            if (terms.size() < 2 || Phrases.isNearDuplicate(terms, seen)) continue;
            seen.add(terms);
            decisions.add(new Finding(TextCleaner.capitalize(Phrases.trimOpeners(text)), s.evidence(), true));
            if (decisions.size() == MAX_DECISIONS) break;
        }
        return decisions;
    }

    /** The sentences of the next turn of another speaker, up to {@value #MAX_ANSWER_WORDS} words, without its questions. */
    private static List<Sentence> answerTo(List<Sentence> sentences, Sentence question) {
        List<Sentence> answer = new ArrayList<>();
        int words = 0;
        int turn = -1;
        for (int i = question.position() + 1; i < sentences.size(); i++) {
            Sentence next = sentences.get(i);
            if (next.turn() == question.turn()) continue;
            if (turn == -1) {
                if (next.speaker() != null && next.speaker().equals(question.speaker())) return List.of();
                turn = next.turn();
            }
            if (next.turn() != turn || words + next.wordCount() > MAX_ANSWER_WORDS) break;
            if (next.isQuestion()) continue;
            answer.add(next);
            words += next.wordCount();
        }
        return answer;
    }

    /** The nearest earlier substantial sentence of the same turn, followed by the pointing sentence. */
    private static String withAntecedent(List<Sentence> sentences, Sentence s) {
        for (int i = s.position() - 1; i >= 0 && i >= s.position() - 3; i--) {
            Sentence before = sentences.get(i);
            if (before.turn() != s.turn()) break;
            if (before.wordCount() >= 8 && !before.isQuestion()) return before.text() + " " + s.text();
        }
        return s.text();
    }
}
