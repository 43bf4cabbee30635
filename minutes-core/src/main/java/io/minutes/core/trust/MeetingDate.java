package io.minutes.core.trust;

import java.time.DateTimeException;
import java.time.LocalDate;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The day a meeting took place, read from its name: an ISO date anywhere in it ({@code product-sync-2026-11-16.vtt},
 * also with underscores) or a Zoom recording prefix ({@code GMT20240124-153012_Recording.vtt}).
 */
public final class MeetingDate {
    private static final Pattern ZOOM = Pattern.compile("GMT(\\d{4})(\\d{2})(\\d{2})-\\d{6}");
    private static final Pattern ISO = Pattern.compile("(?<!\\d)(\\d{4})[-_](\\d{2})[-_](\\d{2})(?!\\d)");

    private MeetingDate() {
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
