package io.minutes.app.output;

import io.minutes.core.domain.ActionItem;
import io.minutes.core.domain.Analysis;
import io.minutes.core.domain.Evidence;
import io.minutes.core.domain.Finding;
import io.minutes.core.domain.PartCoverage;
import io.minutes.core.domain.Participant;
import io.minutes.core.domain.Section;
import io.minutes.core.style.LanguageChoice;

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
        MarkdownLabels l = MarkdownLabels.of(a.language());
        StringBuilder md = new StringBuilder();
        md.append("# ").append(a.title()).append("\n\n");
        md.append("_").append(l.source()).append(": ").append(source).append("_\n\n");
        styleLine(md, a, l);
        for (String warning : warnings) md.append("> **").append(l.note()).append(":** ").append(warning).append("\n\n");
        for (String warning : a.warnings()) md.append("> **").append(l.note()).append(":** ").append(warning).append("\n\n");
        md.append("## ").append(l.summary()).append("\n\n").append(a.summary().isBlank() ? "_" + l.noSummary() + "_" : a.summary()).append("\n\n");
        md.append("## ").append(l.actionItems()).append("\n\n");
        if (a.actionItems().isEmpty()) md.append("_").append(l.noneStated()).append("_\n");
        for (ActionItem item : a.actionItems()) {
            md.append("- [ ] ").append(item.description());
            md.append(item.owner() != null ? " — **" + item.owner() + "**" : " — _" + l.unassigned() + "_");
            if (item.due() != null) {
                md.append(" (").append(l.due()).append(" ").append(item.due());
                if (item.dueDate() != null) md.append(", ").append(item.dueDate());
                md.append(")");
            }
            evidence(md, item.evidence(), item.supported());
        }
        list(md, l.decisions(), a.decisions(), l);
        list(md, l.openQuestions(), a.openQuestions(), l);
        for (Section section : a.sections()) {
            md.append("\n## ").append(section.name()).append("\n\n");
            if (section.items().isEmpty()) md.append("_").append(l.noneStated()).append("_\n");
            for (String item : section.items()) md.append("- ").append(item).append('\n');
        }
        if (!a.coverage().isEmpty()) {
            md.append("\n## Coverage\n\n");
            for (PartCoverage c : a.coverage()) {
                md.append("- Part ").append(c.part()).append(" of ").append(c.parts()).append(": ")
                        .append(count(c.actionItems(), "action")).append(", ").append(count(c.decisions(), "decision"))
                        .append(", ").append(count(c.openQuestions(), "open question")).append('\n');
            }
        }
        if (!a.topics().isEmpty()) md.append("\n## ").append(l.topics()).append("\n\n").append(String.join(", ", a.topics())).append('\n');
        md.append("\n## ").append(l.participants()).append("\n\n");
        if (a.participants().isEmpty()) md.append("_").append(l.noSpeakers()).append("_\n");
        else {
            md.append("| ").append(l.name()).append(" | ").append(l.words()).append(" | ").append(l.talkTime()).append(" |\n|---|---:|---:|\n");
            for (Participant p : a.participants()) {
                md.append("| ").append(p.name().replace("|", "\\|")).append(" | ").append(p.words()).append(" | ")
                        .append(p.talkSeconds() == null ? "—" : talkTime(p.talkSeconds())).append(" |\n");
            }
        }
        return md.toString();
    }

    /** The template the minutes follow and the language they are in, when known; once, that the labels are English. */
    private static void styleLine(StringBuilder md, Analysis a, MarkdownLabels l) {
        if (a.template() == null && a.language() == null) return;
        md.append("_");
        if (a.template() != null) md.append(l.template()).append(": ").append(a.template());
        if (a.template() != null && a.language() != null) md.append(" · ");
        if (a.language() != null) md.append(l.writtenIn()).append(": ").append(a.language());
        md.append("_\n\n");
        if (l.standInFor(a.language())) {
            md.append("> **Note:** the minutes are in ").append(LanguageChoice.englishName(a.language()))
                    .append("; their headings are in English (Markdown labels exist for en, de, fr, es).\n\n");
        }
    }

    private static void list(StringBuilder md, String heading, List<Finding> items, MarkdownLabels l) {
        md.append("\n## ").append(heading).append("\n\n");
        if (items.isEmpty()) md.append("_").append(l.noneStated()).append("_\n");
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
