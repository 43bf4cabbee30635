package io.minutes.core.trust;

import io.minutes.core.domain.ActionItem;
import io.minutes.core.domain.Analysis;

import java.time.DateTimeException;
import java.time.DayOfWeek;
import java.time.LocalDate;
import java.time.Month;
import java.time.temporal.TemporalAdjusters;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Turns the words of a due date into the day they mean, counted from the meeting's date: "today", "tomorrow",
 * "(by|on|this) Friday" (the first Friday after the meeting), "next Tuesday" (the Tuesday of the week after the
 * meeting's week), "end of the week" (its Friday), "end of the month", "in 3 days / 2 weeks", "2026-11-20",
 * "November 20" / "20 November" (the next one on or after the meeting). Anything else stays words only (null).
 */
public final class DueDates {
    private static final Pattern ISO = Pattern.compile("\\b(\\d{4})-(\\d{2})-(\\d{2})\\b");
    private static final Pattern WEEKDAY = Pattern.compile("\\b(next\\s+)?(monday|tuesday|wednesday|thursday|friday|saturday|sunday)\\b");
    private static final Pattern IN = Pattern.compile("\\bin\\s+(\\d+|a|one|two|three|four)\\s+(day|week)s?\\b");
    private static final Pattern MONTH_DAY = Pattern.compile(
            "\\b(jan|feb|mar|apr|may|jun|jul|aug|sep|sept|oct|nov|dec)[a-z]*\\.?\\s+(\\d{1,2})(?:st|nd|rd|th)?\\b"
            + "|\\b(\\d{1,2})(?:st|nd|rd|th)?\\s+(?:of\\s+)?(jan|feb|mar|apr|may|jun|jul|aug|sep|sept|oct|nov|dec)[a-z]*\\b");

    private DueDates() {
    }

    /** Every action item with a due date resolved when {@code meetingDate} is known. */
    public static Analysis resolve(Analysis analysis, LocalDate meetingDate) {
        if (meetingDate == null) return analysis;
        List<ActionItem> items = new ArrayList<>();
        for (ActionItem item : analysis.actionItems()) {
            items.add(item.dueDate() != null || item.due() == null ? item
                    : item.withDueDate(resolve(item.due(), meetingDate).orElse(null)));
        }
        return analysis.withItems(items, analysis.decisions(), analysis.openQuestions());
    }

    public static Optional<LocalDate> resolve(String due, LocalDate meeting) {
        if (due == null || meeting == null) return Optional.empty();
        String s = due.toLowerCase(Locale.ROOT);
        Matcher m = ISO.matcher(s);
        if (m.find()) return date(Integer.parseInt(m.group(1)), Integer.parseInt(m.group(2)), Integer.parseInt(m.group(3)));
        if (s.contains("tomorrow")) return Optional.of(meeting.plusDays(1));
        if (s.matches(".*\\b(today|tonight|end of (the )?day|eod)\\b.*")) return Optional.of(meeting);
        if (s.matches(".*\\bend of (the |this )?month\\b.*")) return Optional.of(meeting.with(TemporalAdjusters.lastDayOfMonth()));
        if (s.matches(".*\\bend of (the |this )?week\\b.*")) return Optional.of(meeting.with(TemporalAdjusters.nextOrSame(DayOfWeek.FRIDAY)));
        m = WEEKDAY.matcher(s);
        if (m.find()) {
            DayOfWeek day = DayOfWeek.valueOf(m.group(2).toUpperCase(Locale.ROOT));
            LocalDate first = meeting.with(TemporalAdjusters.next(day));
            boolean sameWeek = first.with(DayOfWeek.MONDAY).equals(meeting.with(DayOfWeek.MONDAY));
            return Optional.of(m.group(1) != null && sameWeek ? first.plusWeeks(1) : first);
        }
        m = IN.matcher(s);
        if (m.find()) {
            int n = switch (m.group(1)) {
                case "a", "one" -> 1;
                case "two" -> 2;
                case "three" -> 3;
                case "four" -> 4;
                default -> Integer.parseInt(m.group(1));
            };
            return Optional.of(m.group(2).equals("day") ? meeting.plusDays(n) : meeting.plusWeeks(n));
        }
        m = MONTH_DAY.matcher(s);
        if (m.find()) {
            String month = m.group(1) != null ? m.group(1) : m.group(4);
            int day = Integer.parseInt(m.group(1) != null ? m.group(2) : m.group(3));
            Optional<LocalDate> thisYear = date(meeting.getYear(), month(month).getValue(), day);
            return thisYear.map(d -> d.isBefore(meeting) ? d.plusYears(1) : d);
        }
        return Optional.empty();
    }

    private static Month month(String abbreviation) {
        for (Month m : Month.values()) if (m.name().toLowerCase(Locale.ROOT).startsWith(abbreviation.substring(0, 3))) return m;
        throw new IllegalStateException(abbreviation);
    }

    private static Optional<LocalDate> date(int year, int month, int day) {
        try {
            return Optional.of(LocalDate.of(year, month, day));
        } catch (DateTimeException e) {
            return Optional.empty();
        }
    }
}
