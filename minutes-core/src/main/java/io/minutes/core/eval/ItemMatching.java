package io.minutes.core.eval;

import io.minutes.core.analysis.ContentTerms;

import java.util.Locale;
import java.util.Set;

/**
 * When an extracted item counts as a reference item: it holds at least {@value #THRESHOLD} of the reference
 * item's distinct content terms (stopwords removed, plurals folded), i.e. the ROUGE-1 recall of the reference item
 * over content terms is at least 0.4. Wording may differ; what was agreed must be there.
 */
public final class ItemMatching {

    public static final double THRESHOLD = 0.4;

    private ItemMatching() {
    }

    public static boolean matches(String extracted, String reference) {
        Set<String> wanted = ContentTerms.of(reference);
        if (wanted.isEmpty()) return false;
        Set<String> found = ContentTerms.of(extracted);
        long common = wanted.stream().filter(found::contains).count();
        return (double) common / wanted.size() >= THRESHOLD;
    }

    /**
     * Two owners are the same person when they share a name word of two letters or more, ignoring case
     * ("Micah" and "Micah Zoltu", "stokes" and "Stokes").
     */
    public static boolean sameOwner(String a, String b) {
        if (a == null || b == null) return false;
        Set<String> words = nameWords(a);
        for (String w : nameWords(b)) if (words.contains(w)) return true;
        return false;
    }

    private static Set<String> nameWords(String name) {
        Set<String> out = new java.util.HashSet<>();
        for (String w : name.toLowerCase(Locale.ROOT).split("[^\\p{L}\\p{N}]+")) if (w.length() >= 2) out.add(w);
        return out;
    }
}
