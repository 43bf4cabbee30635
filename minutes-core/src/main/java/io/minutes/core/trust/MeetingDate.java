package io.minutes.core.trust;

import java.time.DateTimeException;
import java.time.LocalDate;
import java.time.LocalDateTime;
import java.time.OffsetDateTime;
import java.time.format.DateTimeParseException;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The day a meeting took place: given by its submitter or its file's metadata, or read from its name: an ISO date
 * anywhere in it ({@code product-sync-2026-11-16.vtt}, also with underscores) or a Zoom recording prefix
 * ({@code GMT20240124-153012_Recording.vtt}).
 */
public final class MeetingDate {
    private static final Pattern ZOOM = Pattern.compile("GMT(\\d{4})(\\d{2})(\\d{2})-\\d{6}");
    private static final Pattern ISO = Pattern.compile("(?<!\\d)(\\d{4})[-_](\\d{2})[-_](\\d{2})(?!\\d)");

    private MeetingDate() {
    }

    /** What a date of a meeting must look like, for error messages. */
    public static final String FORMAT = "an ISO date such as 2026-11-16 (an ISO date-time such as 2026-11-16T15:30:00Z "
            + "counts as its day as written)";

    /**
     * The day {@code text} names: an ISO date ({@code 2026-11-16}), or an ISO date-time with or without an offset
     * ({@code 2026-11-16T15:30:00Z}), taken as the day it is written in; empty when it is neither (see {@link #FORMAT}).
     */
    public static Optional<LocalDate> parse(String text) {
        String t = text == null ? "" : text.strip();
        try {
            return Optional.of(LocalDate.parse(t));
        } catch (DateTimeParseException notADate) {
            // a date-time, next
        }
        try {
            return Optional.of(OffsetDateTime.parse(t).toLocalDate());
        } catch (DateTimeParseException notAnOffsetDateTime) {
            // a local date-time, last
        }
        try {
            return Optional.of(LocalDateTime.parse(t).toLocalDate());
        } catch (DateTimeParseException e) {
            return Optional.empty();
        }
    }

    /** {@code known} when given (by the submitter, or a file's metadata), else the date {@link #of} finds in the names; null if none. */
    public static LocalDate known(LocalDate known, String source, String title) {
        return known != null ? known : of(source, title).orElse(null);
    }

    /** The first date found in {@code names} (file name first, then title); empty when none says one. */
    public static Optional<LocalDate> of(String... names) {
        for (String name : names) {
            if (name == null) continue;
            for (Pattern p : new Pattern[]{ZOOM, ISO}) {
                Matcher m = p.matcher(name);
                while (m.find()) {
                    try {
                        return Optional.of(LocalDate.of(Integer.parseInt(m.group(1)), Integer.parseInt(m.group(2)),
                                Integer.parseInt(m.group(3))));
                    } catch (DateTimeException notADate) {
                        // 2026-13-45 is a version number or an id, not a day: look further
                    }
                }
            }
        }
        return Optional.empty();
    }
}
