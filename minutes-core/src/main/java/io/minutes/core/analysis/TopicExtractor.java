package io.minutes.core.analysis;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Keyphrases: adjacent content-word pairs said in several sentences (preferred), then frequent single
 * content words not already inside a chosen pair. Counted per sentence, so one rambling turn
 * cannot make a topic.
 */
final class TopicExtractor {

    static final int MIN_TOPICS = 3;
    static final int MAX_TOPICS = 8;
    private static final double BIGRAM_BOOST = 2.5;
    private static final double MIN_SHARE_OF_TOP = 0.15;

    private TopicExtractor() {
    }

    static List<String> extract(List<Sentence> sentences) {
        Map<String, Phrase> phrases = new LinkedHashMap<>();
        for (Sentence s : sentences) {
            Set<String> inSentence = new HashSet<>();
            List<String> words = s.words();
            for (int i = 0; i < words.size(); i++) {
                String w = words.get(i);
                if (!isTopicWord(w)) continue;
                count(phrases, inSentence, Tokenizer.stem(w), w, false);
                if (i + 1 < words.size() && isTopicWord(words.get(i + 1))) {
                    String next = words.get(i + 1);
                    count(phrases, inSentence, Tokenizer.stem(w) + " " + Tokenizer.stem(next), w + " " + next, true);
                }
            }
        }
        List<Phrase> ranked = new ArrayList<>(phrases.values());
        ranked.removeIf(p -> p.sentences < (p.bigram ? 2 : 3) || p.key.split(" ")[0].equals(p.key.split(" ")[p.bigram ? 1 : 0]) && p.bigram);
        ranked.sort(Comparator.comparingDouble(Phrase::score).reversed().thenComparingInt(p -> p.firstSeen));
        if (ranked.isEmpty()) return List.of();
        double floor = ranked.getFirst().score() * MIN_SHARE_OF_TOP;

        List<Phrase> chosen = new ArrayList<>();
        Set<String> coveredWords = new HashSet<>();
        for (Phrase p : ranked) {
            if (chosen.size() >= MIN_TOPICS && p.score() < floor) break;
            String[] parts = p.key.split(" ");
            if (!p.bigram && coveredWords.contains(p.key)) continue;
            if (p.bigram && chosen.stream().anyMatch(c -> c.bigram && overlaps(c.key, parts))) continue;
            chosen.add(p);
            coveredWords.addAll(List.of(parts));
            if (chosen.size() == MAX_TOPICS) break;
        }
        chosen.removeIf(c -> !c.bigram && chosen.stream().anyMatch(o -> o.bigram && List.of(o.key.split(" ")).contains(c.key)));
        return chosen.stream().map(Phrase::surface).toList();
    }

    private static boolean overlaps(String key, String[] parts) {
        String[] other = key.split(" ");
        return other[0].equals(parts[0]) && other[1].equals(parts[1]) || other[1].equals(parts[0]) && other[0].equals(parts[1]);
    }

    private static boolean isTopicWord(String w) {
        return Tokenizer.isContentWord(w) && w.length() > 2 && !w.chars().allMatch(c -> Character.isDigit(c) || c == '-')
                && !NUMBER_WORDS.contains(w) && !isAdverb(w);
    }

    /** Numbers said aloud ("twenty nine seventy two") are how a topic is named, not a topic. */
    private static final Set<String> NUMBER_WORDS = Set.of("zero", "three", "four", "five", "six", "seven", "eight", "nine",
            "ten", "eleven", "twelve", "thirteen", "fourteen", "fifteen", "sixteen", "seventeen", "eighteen", "nineteen",
            "twenty", "thirty", "forty", "fifty", "sixty", "seventy", "eighty", "ninety", "hundred", "thousand", "million",
            "billion", "half", "percent");
    /** Words ending in -ly that are nouns or adjectives of a topic, not manner adverbs. */
    private static final Set<String> LY_NOUNS = Set.of("family", "supply", "reply", "assembly", "anomaly", "italy", "july",
            "rally", "ally", "early", "weekly", "monthly", "daily", "quarterly", "yearly", "butterfly", "jelly", "belly", "fly",
            "bully", "only", "holy", "ugly", "silly", "lily", "emily", "molly", "sally", "kelly", "polly");

    /** "hopefully", "basically", "currently": manner and stance adverbs say how, not what. */
    private static boolean isAdverb(String w) {
        return w.length() > 5 && w.endsWith("ly") && !LY_NOUNS.contains(w);
    }

    private static void count(Map<String, Phrase> phrases, Set<String> inSentence, String key, String surface, boolean bigram) {
        Phrase p = phrases.computeIfAbsent(key, k -> new Phrase(k, bigram, phrases.size()));
        p.surfaces.merge(surface, 1, Integer::sum);
        if (inSentence.add(key)) p.sentences++;
    }

    private static final class Phrase {
        final String key;
        final boolean bigram;
        final int firstSeen;
        final Map<String, Integer> surfaces = new HashMap<>();
        int sentences;

        Phrase(String key, boolean bigram, int firstSeen) {
            this.key = key;
            this.bigram = bigram;
            this.firstSeen = firstSeen;
        }

        double score() {
            return bigram ? sentences * BIGRAM_BOOST : sentences;
        }

        /** The most frequent spelling, ties to the alphabetically first, so output is stable. */
        String surface() {
            return surfaces.entrySet().stream()
                    .max(Map.Entry.<String, Integer>comparingByValue().thenComparing(Map.Entry.comparingByKey(Comparator.reverseOrder())))
                    .orElseThrow().getKey();
        }
    }
}
