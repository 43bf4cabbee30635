package io.minutes.core.analysis;

import io.minutes.core.text.RegexWork;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** Lower-case word tokens, and the stemmed content terms used for scoring and matching. */
final class Tokenizer {

    // Possessive: a greedy group loop recursed once per "-part" and overflowed the stack on "a-a-a-...".
    private static final Pattern WORD = Pattern.compile("[\\p{L}\\p{N}]++(?:['\\-][\\p{L}\\p{N}]++)*+");

    private Tokenizer() {
    }

    static List<String> words(String text) {
        List<String> out = new ArrayList<>();
        Matcher m = RegexWork.matcher(WORD, text);
        while (m.find()) out.add(m.group().toLowerCase(Locale.ROOT));
        return out;
    }

    static List<String> terms(List<String> words) {
        List<String> out = new ArrayList<>();
        for (String w : words) {
            if (isContentWord(w)) out.add(stem(w));
        }
        return out;
    }

    static List<String> terms(String text) {
        return terms(words(text));
    }

    static boolean isContentWord(String lowerCaseWord) {
        return lowerCaseWord.length() > 1 && !Stopwords.contains(lowerCaseWord)
                && !(lowerCaseWord.length() < 3 && !Character.isDigit(lowerCaseWord.charAt(0)));
    }

    /** A light stemmer: folds possessives and plurals only, enough to join "control" and "controls". */
    static String stem(String w) {
        if (w.endsWith("'s")) w = w.substring(0, w.length() - 2);
        if (w.length() > 4 && w.endsWith("ies")) return w.substring(0, w.length() - 3) + "y";
        if (w.length() > 4 && (w.endsWith("sses") || w.endsWith("xes") || w.endsWith("ches") || w.endsWith("shes"))) {
            return w.substring(0, w.length() - 2);
        }
        if (w.length() > 3 && w.endsWith("s") && !w.endsWith("ss") && !w.endsWith("us") && !w.endsWith("is")) {
            return w.substring(0, w.length() - 1);
        }
        return w;
    }
}
