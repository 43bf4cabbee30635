package io.minutes.core.analysis;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import java.util.stream.Collectors;

/**
 * Extractive summary: scores sentences by how many central meeting terms they carry, then picks
 * them greedily with maximal marginal relevance (a sentence too like one already chosen loses) and a
 * preference for parts of the timeline not yet covered. The result is in meeting order.
 */
final class Summarizer {

    static final int MAX_WORDS = 120;
    /** Short sentences are common in speech: keep adding (up to MAX_SENTENCES) until this many words. */
    private static final int FILL_WORDS = 90;
    private static final int MAX_SENTENCES = 8;
    private static final int MIN_SENTENCE_WORDS = 6;
    private static final int MAX_SENTENCE_WORDS = 40;
    private static final double RELEVANCE = 0.7;
    private static final double COVERED_BUCKET_FACTOR = 0.75;

    private Summarizer() {
    }

    static String summarize(List<Sentence> sentences, TermWeights weights) {
        return join(select(sentences, weights));
    }

    static int targetSentences(List<Sentence> sentences) {
        int words = sentences.stream().mapToInt(Sentence::wordCount).sum();
        return Math.clamp(2 + Math.round(words / 2500.0f), 3, 6);
    }

    static List<Sentence> select(List<Sentence> sentences, TermWeights weights) {
        if (sentences.isEmpty()) return List.of();
        int target = targetSentences(sentences);
        List<Candidate> candidates = candidates(sentences, weights);
        if (candidates.isEmpty()) return fallback(sentences);
        double best = candidates.stream().mapToDouble(Candidate::score).max().orElse(1);

        List<Candidate> chosen = new ArrayList<>();
        List<Set<String>> chosenTerms = new ArrayList<>();
        Set<Integer> coveredBuckets = new java.util.HashSet<>();
        int words = 0;
        while (chosen.size() < target || (words < FILL_WORDS && chosen.size() < MAX_SENTENCES)) {
            Candidate pick = null;
            double pickValue = Double.NEGATIVE_INFINITY;
            for (Candidate c : candidates) {
                if (chosen.contains(c) || words + c.sentence.wordCount() > MAX_WORDS) continue;
                double redundancy = 0;
                for (Set<String> o : chosenTerms) redundancy = Math.max(redundancy, weights.similarity(c.terms, o));
                double value = RELEVANCE * c.score / best - (1 - RELEVANCE) * redundancy;
                int bucket = (int) ((long) c.sentence.position() * target / sentences.size());
                if (coveredBuckets.contains(bucket)) value *= COVERED_BUCKET_FACTOR;
                if (value > pickValue) {
                    pickValue = value;
                    pick = c;
                }
            }
            if (pick == null) break;
            chosen.add(pick);
            chosenTerms.add(new LinkedHashSet<>(pick.terms));
            coveredBuckets.add((int) ((long) pick.sentence.position() * target / sentences.size()));
            words += pick.sentence.wordCount();
        }
        return chosen.stream().map(Candidate::sentence)
                .sorted(Comparator.comparingInt(Sentence::position)).toList();
    }

    private static List<Candidate> candidates(List<Sentence> sentences, TermWeights weights) {
        List<Candidate> out = new ArrayList<>();
        for (Sentence s : sentences) {
            int n = s.wordCount();
            if (n < MIN_SENTENCE_WORDS || n > MAX_SENTENCE_WORDS || s.isQuestion()) continue;
            List<String> terms = List.copyOf(new LinkedHashSet<>(s.terms())); // one small array, not a set, per candidate
            if (terms.size() < 3) continue;
            double score = weights.mass(terms) / Math.sqrt(n);
            if (score > 0) out.add(new Candidate(s, terms, score));
        }
        return out;
    }

    /** A meeting with no sentence worth scoring still gets its longest lines, not nothing. */
    private static List<Sentence> fallback(List<Sentence> sentences) {
        List<Sentence> out = new ArrayList<>();
        int words = 0;
        for (Sentence s : sentences.stream().sorted(Comparator.comparingInt(Sentence::wordCount).reversed()
                .thenComparingInt(Sentence::position)).toList()) {
            if (s.wordCount() < 3 || words + s.wordCount() > MAX_WORDS) continue;
            out.add(s);
            words += s.wordCount();
            if (out.size() == 3) break;
        }
        out.sort(Comparator.comparingInt(Sentence::position));
        return out;
    }

    static String join(List<Sentence> chosen) {
        return chosen.stream().map(s -> withFinalStop(TextCleaner.capitalize(Phrases.trimOpeners(s.text()))))
                .collect(Collectors.joining(" "));
    }

    private static String withFinalStop(String text) {
        int end = text.length();
        while (end > 0 && (Character.isWhitespace(text.charAt(end - 1)) || ",;:-".indexOf(text.charAt(end - 1)) >= 0)) end--;
        text = text.substring(0, end);
        if (text.isEmpty()) return text;
        char last = text.charAt(text.length() - 1);
        return last == '.' || last == '?' || last == '!' ? text : text + ".";
    }

    /** {@code terms}: the sentence's distinct terms, in order. */
    private record Candidate(Sentence sentence, List<String> terms, double score) {
    }
}
