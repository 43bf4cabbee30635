package io.minutes.core.text;

import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The one way the parsers and the local analyzer run a regular expression, so the work a regex does on an input can
 * be counted: inside {@link #count(Runnable)} every character a regex reads is counted on the calling thread. Tests
 * use this to prove that no parser backtracks catastrophically (the count stays linear in the input size) without
 * timing anything. Outside {@code count} it is a plain {@link Pattern#matcher}.
 */
public final class RegexWork {

    private static final ThreadLocal<long[]> COUNTER = new ThreadLocal<>();

    private RegexWork() {
    }

    public static Matcher matcher(Pattern pattern, CharSequence text) {
        long[] counter = COUNTER.get();
        return pattern.matcher(counter == null ? text : new Counted(text, counter));
    }

    /** {@link Pattern#split(CharSequence, int)}, counted like {@link #matcher}. */
    public static String[] split(Pattern pattern, CharSequence text, int limit) {
        long[] counter = COUNTER.get();
        return pattern.split(counter == null ? text : new Counted(text, counter), limit);
    }

    /** Runs {@code work} and answers how many characters regexes read while it ran on this thread. */
    public static long count(Runnable work) {
        long[] previous = COUNTER.get();
        long[] counter = new long[1];
        COUNTER.set(counter);
        try {
            work.run();
        } finally {
            if (previous == null) COUNTER.remove(); else COUNTER.set(previous);
        }
        return counter[0];
    }

    private record Counted(CharSequence text, long[] counter) implements CharSequence {
        @Override
        public char charAt(int index) {
            counter[0]++;
            return text.charAt(index);
        }

        @Override
        public int length() {
            return text.length();
        }

        @Override
        public CharSequence subSequence(int start, int end) {
            return new Counted(text.subSequence(start, end), counter);
        }

        @Override
        public String toString() {
            return text.toString();
        }
    }
}
