package io.minutes.core.analysis;

import io.minutes.core.text.RegexWork;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** Finds a deadline stated in a sentence: "by Friday", "next week", "by end of month", "tomorrow", dates. */
final class DueDates {

    private static final String DAY = "(?:monday|tuesday|wednesday|thursday|friday|saturday|sunday)";
    private static final String MONTH = "(?:january|february|march|april|may|june|july|august|september|october"
            + "|november|december|jan|feb|mar|apr|jun|jul|aug|sep|sept|oct|nov|dec)";
    private static final String PERIOD = "(?:day|week|month|quarter|year|sprint)";
    private static final String ORDINAL_DAY = "(?:\\d{1,2}(?:st|nd|rd|th)|first|second|third|fourth|fifth|sixth|seventh|eighth|ninth|tenth"
            + "|eleventh|twelfth|thirteenth|fourteenth|fifteenth|sixteenth|seventeenth|eighteenth|nineteenth|twentieth"
            + "|twenty-(?:first|second|third|fourth|fifth|sixth|seventh|eighth|ninth)|thirtieth|thirty-first)";

    /** The whole phrase (to cut from the description) and, in group "due", the deadline itself. */
    private static final Pattern DUE = Pattern.compile("(?i)(?:\\b(?:by|before|until|due|on|for|to|at)\\s+(?:the\\s+)?)?"
            + "\\b(?<due>"
            + "(?:the\\s+)?end\\s+of\\s+(?:the\\s+|this\\s+|next\\s+)?" + PERIOD
            + "|eod|eow|eom"
            + "|(?:next|this)\\s+(?:" + DAY + "|" + PERIOD + ")"
            + "|" + DAY + "(?:\\s+(?:morning|afternoon|evening))?"
            + "|tomorrow(?:\\s+(?:morning|afternoon|evening))?|tonight"
            + "|(?:the\\s+)?next\\s+(?:regular\\s+|weekly\\s+|team\\s+|board\\s+|council\\s+)?(?:call|meeting)(?:\\s+on\\s+(?:the\\s+)?" + ORDINAL_DAY + ")?"
            + "|(?:in|within)\\s+the\\s+next\\s+(?:few\\s+|couple\\s+(?:of\\s+)?)?(?:days?|weeks?)(?:\\s+or\\s+(?:two|so))?"
            + "|noon|midday|end\\s+of\\s+(?:the\\s+)?day|this\\s+(?:morning|afternoon|evening)"
            + "|\\d{4}-\\d{2}-\\d{2}"
            + "|" + MONTH + "\\s+\\d{1,2}(?:st|nd|rd|th)?(?!\\d)"
            + "|\\d{1,2}(?:st|nd|rd|th)?\\s+(?:of\\s+)?" + MONTH + "\\b"
            + "|in\\s+(?:a|one|two|three|\\d)\\s+(?:days?|weeks?)"
            + ")\\b");

    private DueDates() {
    }

    record Due(String phrase, String due, int start, int end) {
    }

    static Optional<Due> find(String sentence) {
        Matcher m = RegexWork.matcher(DUE, sentence);
        if (!m.find()) return Optional.empty();
        String due = m.group("due").replaceFirst("(?i)^the\\s+", "").replaceAll("\\s+", " ");
        return Optional.of(new Due(m.group(), due, m.start(), m.end()));
    }
}
