package io.minutes.core.eval;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * ROUGE-1 and ROUGE-L (summary-level LCS over the whole token sequence), on lower-case alphanumeric
 * tokens, no stemming and no stopword removal. Used by {@code minutes eval} and the analyzer's quality test.
 */
public final class Rouge {

    private static final Pattern TOKEN = Pattern.compile("[a-z0-9]+");

    public record Score(double precision, double recall, double f1) {
        static Score of(double overlap, int candidate, int reference) {
            double p = candidate == 0 ? 0 : overlap / candidate;
            double r = reference == 0 ? 0 : overlap / reference;
            return new Score(p, r, p + r == 0 ? 0 : 2 * p * r / (p + r));
        }
    }

    private Rouge() {
    }

    public static List<String> tokens(String text) {
        List<String> out = new ArrayList<>();
        Matcher m = TOKEN.matcher(text.toLowerCase(Locale.ROOT));
        while (m.find()) out.add(m.group());
        return out;
    }

    public static Score rouge1(String candidate, String reference) {
        List<String> c = tokens(candidate);
        List<String> r = tokens(reference);
        Map<String, Integer> refCounts = new HashMap<>();
        for (String t : r) refCounts.merge(t, 1, Integer::sum);
        int overlap = 0;
        for (String t : c) {
            Integer left = refCounts.get(t);
            if (left != null && left > 0) {
                overlap++;
                refCounts.put(t, left - 1);
            }
        }
        return Score.of(overlap, c.size(), r.size());
    }

    public static Score rougeL(String candidate, String reference) {
        List<String> c = tokens(candidate);
        List<String> r = tokens(reference);
        return Score.of(lcs(c, r), c.size(), r.size());
    }

    public static int lcs(List<String> a, List<String> b) {
        int[] prev = new int[b.size() + 1];
        int[] cur = new int[b.size() + 1];
        for (int i = 1; i <= a.size(); i++) {
            for (int j = 1; j <= b.size(); j++) {
                cur[j] = a.get(i - 1).equals(b.get(j - 1)) ? prev[j - 1] + 1 : Math.max(prev[j], cur[j - 1]);
            }
            int[] t = prev;
            prev = cur;
            cur = t;
        }
        return prev[b.size()];
    }
}
