package io.minutes.core.ingest;

import io.minutes.core.text.RegexWork;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** Clock times like {@code 01:02:03.456}, {@code 02:03,4}, {@code 0:0:0.570}: hours optional, 1-3 fraction digits. */
final class Timestamps {

    static final String CLOCK = "(?:\\d{1,3}:)?\\d{1,2}:\\d{1,2}(?:[.,]\\d{1,3})?";
    private static final Pattern PARTS = Pattern.compile("(?:(\\d{1,3}):)?(\\d{1,2}):(\\d{1,2})(?:[.,](\\d{1,3}))?");

    private Timestamps() {
    }

    /** Seconds, or null when the text is not a clock time. A short fraction is a decimal fraction: ".5" is 500 ms. */
    static Double seconds(String clock) {
        Matcher m = RegexWork.matcher(PARTS, clock.strip());
        if (!m.matches()) return null;
        int hours = m.group(1) == null ? 0 : Integer.parseInt(m.group(1));
        int minutes = Integer.parseInt(m.group(2));
        int secs = Integer.parseInt(m.group(3));
        if (minutes > 59 || secs > 59) return null;
        int millis = m.group(4) == null ? 0 : Integer.parseInt((m.group(4) + "00").substring(0, 3));
        // whole milliseconds divided once, so "00:00:01.570" is exactly the double 1.57 (writers round-trip)
        return (hours * 3_600_000L + minutes * 60_000L + secs * 1_000L + millis) / 1000.0;
    }
}
