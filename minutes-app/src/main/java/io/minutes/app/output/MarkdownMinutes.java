package io.minutes.app.output;

import io.minutes.core.domain.ActionItem;
import io.minutes.core.domain.Analysis;
import io.minutes.core.domain.Finding;
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
        md.append("## Summary\n\n").append(a.summary().isBlank() ? "_No summary._" : a.summary()).append("\n\n");
        md.append("## Action items\n\n");
        if (a.actionItems().isEmpty()) md.append("_None stated._\n");
        for (ActionItem item : a.actionItems()) {
            md.append("- [ ] ").append(item.description());
            if (item.owner() != null) md.append(" — **").append(item.owner()).append("**");
            if (item.due() != null) md.append(" (due ").append(item.due()).append(")");
            md.append('\n');
        }
        list(md, "Decisions", a.decisions());
        list(md, "Open questions", a.openQuestions());
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
        for (Finding item : items) md.append("- ").append(item.text()).append('\n');
    }

    private static String talkTime(double seconds) {
        long s = Math.round(seconds);
        return s >= 60 ? (s / 60) + " min " + (s % 60) + " s" : s + " s";
    }
}
