package io.minutes.core.analysis;

import java.util.Collection;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * How central each content term is to this meeting: the log of the number of sentences that use it.
 * Terms said in one sentence only weigh nothing, which keeps one-off asides out of the summary.
 */
final class TermWeights {

    private final Map<String, Double> weights;

    private TermWeights(Map<String, Double> weights) {
        this.weights = weights;
    }

    static TermWeights of(List<Sentence> sentences) {
        Map<String, Integer> sentenceFrequency = new HashMap<>();
        for (Sentence s : sentences) {
            for (String t : new HashSet<>(s.terms())) sentenceFrequency.merge(t, 1, Integer::sum);
        }
        Map<String, Double> weights = new HashMap<>();
        sentenceFrequency.forEach((term, n) -> weights.put(term, n < 2 ? 0.0 : Math.log(n)));
        return new TermWeights(weights);
    }

    double weight(String term) {
        return weights.getOrDefault(term, 0.0);
    }

    /** Sum of the weights of the distinct terms. */
    double mass(Collection<String> terms) {
        double sum = 0;
        for (String t : terms) sum += weight(t);
        return sum;
    }

    /** Weighted cosine between two term sets ({@code a}'s terms distinct). */
    double similarity(Collection<String> a, Set<String> b) {
        double dot = 0;
        for (String t : a) {
            if (b.contains(t)) dot += weight(t) * weight(t);
        }
        if (dot == 0) return 0;
        return dot / Math.sqrt(squaredNorm(a) * squaredNorm(b));
    }

    private double squaredNorm(Collection<String> terms) {
        double sum = 0;
        for (String t : terms) sum += weight(t) * weight(t);
        return sum;
    }
}
