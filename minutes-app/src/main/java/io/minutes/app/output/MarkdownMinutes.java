package io.minutes.app.output;

import io.minutes.core.domain.ActionItem;
import io.minutes.core.domain.Analysis;
import io.minutes.core.domain.Evidence;
import io.minutes.core.domain.Finding;
import io.minutes.core.domain.PartCoverage;
import io.minutes.core.domain.Participant;

import java.util.List;

/** Readable minutes of one meeting, in Markdown. */
public final class MarkdownMinutes {
    private MarkdownMinutes() {
    }

    /**
     * The meeting's minutes; a duplicate shows another meeting's minutes, so it says so first, never
     * silently ("Not processed: duplicate of ORIGINAL ...").
     */
    public static String render(io.minutes.core.domain.Meeting m) {
        return render(m, List.of());
    }

    /** With what reading its source warned about (e.g. a windows-1252 fallback). */
    public static String render(io.minutes.core.domain.Meeting m, List<String> warnings) {
        String md = render(m.analysis(), m.source(), warnings);
        return m.duplicateOf() == null ? md : "> **Not processed: " + m.skipReason() + ".**\n\n" + md;
    }

    public static String render(Analysis a, String source) {
        return render(a, source, List.of());
    }

    /** With what reading the source warned about (e.g. a windows-1252 fallback), under the source line. */
    public static String render(Analysis a, String source, List<String> warnings) {
        StringBuilder md = new StringBuilder();
        md.append("# ").append(a.title()).append("\n\n");
        md.append("_Source: ").append(source).append("_\n\n");
        for (String warning : warnings) md.append("> **Note:** ").append(warning).append("\n\n");
        for (String warning : a.warnings()) md.append("> **Note:** ").append(warning).append("\n\n");
        md.append("## Summary\n\n").append(a.summary().isBlank() ? "_No summary._" : a.summary()).append("\n\n");
        md.append("## Action items\n\n");
        if (a.actionItems().isEmpty()) md.append("_None stated._\n");
        for (ActionItem item : a.actionItems()) {
            md.append("- [ ] ").append(item.description());
            md.append(item.owner() != null ? " — **" + item.owner() + "**" : " — _unassigned_");
            if (item.due() != null) {
                md.append(" (due ").append(item.due());
                if (item.dueDate() != null) md.append(", ").append(item.dueDate());
                md.append(")");
            }
            evidence(md, item.evidence(), item.supported());
        }
        list(md, "Decisions", a.decisions());
        list(md, "Open questions", a.openQuestions());
        if (!a.coverage().isEmpty()) {
            md.append("\n## Coverage\n\n");
            for (PartCoverage c : a.coverage()) {
                md.append("- Part ").append(c.part()).append(" of ").append(c.parts()).append(": ")
                        .append(count(c.actionItems(), "action")).append(", ").append(count(c.decisions(), "decision"))
                        .append(", ").append(count(c.openQuestions(), "open question")).append('\n');
            }
        }
        if (!a.topics().isEmpty()) md.append("\n## Topics\n\n").append(String.join(", ", a.topics())).append('\n');
        md.append("\n## Participants\n\n");
        if (a.participants().isEmpty()) md.append("_No speakers named in the transcript._\n");
        else {
            md.append("| Name | Words | Talk time |\n|---|---:|---:|\n");
            for (Participant p : a.participants()) {
                md.append("| ").append(p.name().replace("|", "\\|")).append(" | ").append(p.words()).append(" | ")
                        .append(p.talkSeconds() == null ? "—" : talkTime(p.talkSeconds())).append(" |\n");
            }
        }
        return md.toString();
    }

    private static void list(StringBuilder md, String heading, List<Finding> items) {
        md.append("\n## ").append(heading).append("\n\n");
        if (items.isEmpty()) md.append("_None stated._\n");
        for (Finding item : items) {
            md.append("- ").append(item.text());
            evidence(md, item.evidence(), item.supported());
        }
    }

    /**
     * Where an item was said, on the line under it: speaker, time and segment number (its place in the transcript,
     * {@code #N} as the transcript view and the JSON count), and the quote; an unsupported item says so.
     */
    private static void evidence(StringBuilder md, Evidence e, boolean supported) {
        if (!supported) md.append(" — ⚠ _unsupported: its quote was not found in the transcript_");
        md.append('\n');
        if (e == null) return;
        md.append("  <br>_");
        if (e.speaker() != null) md.append(e.speaker()).append(", ");
        if (e.start() != null) md.append(clock(e.start())).append(", ");
        md.append("segment #").append(e.segment()).append("_: “").append(e.quote().replace("\n", " ")).append("”\n");
    }

    private static String count(int n, String what) {
        return n + " " + what + (n == 1 ? "" : "s");
    }

    private static String clock(double seconds) {
        long t = (long) Math.floor(seconds);
        return String.format(java.util.Locale.ROOT, "%02d:%02d:%02d", t / 3600, t / 60 % 60, t % 60);
    }

    private static String talkTime(double seconds) {
        long s = Math.round(seconds);
        return s >= 60 ? (s / 60) + " min " + (s % 60) + " s" : s + " s";
    }
}
