package io.minutes.app.cli;

import java.util.Collection;
import java.util.Comparator;
import java.util.Optional;

/** The known name closest to a misspelled one (Levenshtein distance), when it is close enough to be meant. */
public final class DidYouMean {
    private DidYouMean() {
    }

    public static Optional<String> closest(String typed, Collection<String> known) {
        int allowed = Math.max(1, Math.min(3, typed.length() / 4));
        return known.stream().min(Comparator.comparingInt(k -> distance(typed, k)))
                .filter(k -> distance(typed, k) <= allowed);
    }

    static int distance(String a, String b) {
        int[] previous = new int[b.length() + 1];
        int[] current = new int[b.length() + 1];
        for (int j = 0; j <= b.length(); j++) previous[j] = j;
        for (int i = 1; i <= a.length(); i++) {
            current[0] = i;
            for (int j = 1; j <= b.length(); j++) {
                int substitution = previous[j - 1] + (a.charAt(i - 1) == b.charAt(j - 1) ? 0 : 1);
                current[j] = Math.min(substitution, Math.min(previous[j] + 1, current[j - 1] + 1));
            }
            int[] swap = previous;
            previous = current;
            current = swap;
        }
        return previous[b.length()];
    }
}
