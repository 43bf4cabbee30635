package io.minutes.app.cli;

import io.minutes.core.domain.Meeting;
import io.minutes.core.domain.MeetingState;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Why meetings were skipped, for the terminal after a run: each one when there are few, grouped by cause
 * when there are many, with the option that would change the outcome.
 */
final class SkippedReasons {
    private static final int EACH_UP_TO = 3;
    private static final int NAMES_SHOWN = 3;

    private SkippedReasons() {
    }

    private record Cause(String what, String hint) {
    }

    /** The lines to print for a batch's meetings (as {@code meetingsBrief} reads them). */
    static List<String> lines(List<Meeting> meetings) {
        Map<Cause, List<Meeting>> byCause = new LinkedHashMap<>();
        for (Meeting m : meetings) {
            if (m.state() == MeetingState.SKIPPED) {
                byCause.computeIfAbsent(cause(String.valueOf(m.skipReason())), c -> new ArrayList<>()).add(m);
            }
        }
        int skipped = byCause.values().stream().mapToInt(List::size).sum();
        List<String> lines = new ArrayList<>();
        for (Map.Entry<Cause, List<Meeting>> group : byCause.entrySet()) {
            List<Meeting> skippedOfCause = group.getValue();
            if (skipped <= EACH_UP_TO) {
                for (Meeting m : skippedOfCause) lines.add("skipped: " + m.skipReason());
            } else {
                List<String> names = skippedOfCause.stream().limit(NAMES_SHOWN).map(Meeting::source).toList();
                lines.add("skipped " + skippedOfCause.size() + " meeting(s), " + group.getKey().what() + ": " + String.join(", ", names)
                        + (skippedOfCause.size() > NAMES_SHOWN ? " and " + (skippedOfCause.size() - NAMES_SHOWN) + " more" : "")
                        + " (reasons in batch.json)");
            }
            if (group.getKey().hint() != null) lines.add("  " + group.getKey().hint());
        }
        return lines;
    }

    private static Cause cause(String reason) {
        if (reason.contains("characters of speech") || reason.contains("no speech found")) {
            return new Cause("too short to make minutes of", "--min-transcript-chars N sets the shortest transcript minutes are made of");
        }
        if (reason.startsWith("duplicate of")) {
            return new Cause("duplicates of meetings already processed (their minutes are written under their own names)",
                    "--on-duplicate allow_duplicates processes them anyway; replace processes them again in place of the earlier ones");
        }
        if (reason.startsWith("budget_exhausted")) {
            return new Cause("over the batch's budget", "a higher --budget runs them when the same command is run again");
        }
        return new Cause(reason, null);
    }
}
