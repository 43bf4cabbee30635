package io.minutes.core.lane;

import java.time.DateTimeException;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDateTime;
import java.time.OffsetDateTime;
import java.time.ZoneId;
import java.time.format.DateTimeParseException;
import java.util.Locale;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * When a batch must be done by ({@code --deadline}, {@code options.deadline}), as the user wrote it: a duration
 * from the submission ({@code 90m}, {@code 8h}, {@code 2d}), an ISO-8601 instant with its offset
 * ({@code 2026-12-05T08:00:00Z}, {@code 2026-12-05T09:00+01:00}) or a local date-time in the submitter's zone
 * ({@code 2026-12-05T08:00}, {@code 2026-12-05 08:00}). {@link #parse} checks the form; {@link #at} turns it into
 * the instant, when the batch is submitted, and refuses one already past.
 */
public final class Deadline {
    private static final Pattern DURATION = Pattern.compile("(\\d{1,9})\\s*(s|m|h|d)");

    private final String text;
    private final Duration fromSubmission;
    private final Instant instant;
    private final LocalDateTime local;

    private Deadline(String text, Duration fromSubmission, Instant instant, LocalDateTime local) {
        this.text = text;
        this.fromSubmission = fromSubmission;
        this.instant = instant;
        this.local = local;
    }

    /** @throws IllegalArgumentException saying the three forms, when {@code raw} is none of them */
    public static Deadline parse(String raw) {
        String s = raw == null ? "" : raw.strip();
        Matcher m = DURATION.matcher(s.toLowerCase(Locale.ROOT));
        if (m.matches()) {
            long n = Long.parseLong(m.group(1));
            Duration d = switch (m.group(2)) {
                case "s" -> Duration.ofSeconds(n);
                case "m" -> Duration.ofMinutes(n);
                case "h" -> Duration.ofHours(n);
                default -> Duration.ofDays(n);
            };
            if (d.isZero()) throw new IllegalArgumentException("must be in the future, got '" + raw + "' (0 from now)");
            return new Deadline(s, d, null, null);
        }
        String iso = s.replace(' ', 'T');
        try {
            return new Deadline(s, null, OffsetDateTime.parse(iso).toInstant(), null);
        } catch (DateTimeParseException notWithOffset) {
            try {
                return new Deadline(s, null, null, LocalDateTime.parse(iso));
            } catch (DateTimeParseException notLocal) {
                throw new IllegalArgumentException("must be a duration from now (90m, 8h, 2d), an ISO-8601 instant "
                        + "(2026-12-05T08:00:00Z) or a local date-time (2026-12-05T08:00), got '" + raw + "'");
            }
        }
    }

    /**
     * The instant this deadline means for a batch submitted at {@code now} in {@code zone} (the zone a local
     * date-time is read in).
     *
     * @throws IllegalArgumentException when that instant is not after {@code now}
     */
    public Instant at(Instant now, ZoneId zone) {
        Instant at;
        if (fromSubmission != null) {
            at = now.plus(fromSubmission);
        } else if (instant != null) {
            at = instant;
        } else {
            try {
                at = local.atZone(zone).toInstant();
            } catch (DateTimeException e) {
                throw new IllegalArgumentException("'" + text + "' is not a time in " + zone + ": " + e.getMessage());
            }
        }
        if (!at.isAfter(now)) {
            throw new IllegalArgumentException("'" + text + "' (" + at + ") is not in the future (now " + now + ")");
        }
        return at;
    }

    /** Whether it is a local date-time, read in a zone {@link #at} is given. */
    public boolean local() {
        return local != null;
    }

    /** As the user wrote it. */
    @Override
    public String toString() {
        return text;
    }
}
