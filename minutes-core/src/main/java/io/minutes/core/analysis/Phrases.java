package io.minutes.core.analysis;

import io.minutes.core.text.RegexWork;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.regex.Pattern;

/** Small helpers shared by the extractors. */
final class Phrases {

    private static final Pattern LEADING_CONNECTIVES = Pattern.compile(
            "(?i)^(?:(?:so|and|then|okay|ok|yeah|yes|well|alright|all right|right|now|but|also|just|oh|great|good|cool|cuz|like|anyway)\\b,?+\\s*+)++");

    private Phrases() {
    }

    /** Drops "so, okay, and then" openers that add nothing to an item. */
    static String trimOpeners(String text) {
        return RegexWork.matcher(LEADING_CONNECTIVES, text).replaceFirst("");
    }

    static double jaccard(Set<String> a, Set<String> b) {
        if (a.isEmpty() && b.isEmpty()) return 1;
        Set<String> union = new HashSet<>(a);
        union.addAll(b);
        int common = 0;
        for (String t : a) if (b.contains(t)) common++;
        return (double) common / union.size();
    }

    static boolean isNearDuplicate(Set<String> terms, List<Set<String>> seen) {
        for (Set<String> s : seen) {
            if (jaccard(terms, s) >= 0.5) return true;
        }
        return false;
    }
}
