package io.minutes.app.output;

import io.minutes.core.domain.ActionItem;
import io.minutes.core.domain.Analysis;
import io.minutes.core.domain.Evidence;
import io.minutes.core.domain.Finding;
import io.minutes.core.domain.PartCoverage;
import io.minutes.core.domain.Participant;
import io.minutes.core.domain.Section;
import io.minutes.core.style.LanguageChoice;

import java.time.LocalDate;
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

    /** With what reading its source warned about (e.g. a windows-1252 fallback), and the day it took place when known. */
    public static String render(io.minutes.core.domain.Meeting m, List<String> warnings) {
        String md = render(m.analysis(), m.source(), m.meetingDate(), warnings);
        if (m.duplicateOf() == null) return md;
        return "> **" + MarkdownLabels.of(m.analysis().language()).text("not_processed") + ": " + m.skipReason() + ".**\n\n" + md;
    }

    public static String render(Analysis a, String source) {
        return render(a, source, null, List.of());
    }

    /**
     * With the day the meeting took place (null: unknown) and what reading the source warned about (e.g. a
     * windows-1252 fallback), under the source line. Every word around what was said is in the minutes' language
     * (en, de, fr, es; {@link MarkdownLabels}); what reading the file warned about is written as the reader said it.
     */
    public static String render(Analysis a, String source, LocalDate date, List<String> warnings) {
        MarkdownLabels l = MarkdownLabels.of(a.language());
        StringBuilder md = new StringBuilder();
        md.append("# ").append(a.title()).append("\n\n");
        md.append("_").append(l.text("source")).append(": ").append(source);
        if (date != null) md.append(" · ").append(l.text("date")).append(": ").append(date);
        md.append("_\n\n");
        styleLine(md, a, l);
        for (String warning : warnings) md.append("> **").append(l.text("note")).append(":** ").append(warning).append("\n\n");
        for (String warning : a.warnings()) md.append("> **").append(l.text("note")).append(":** ").append(l.warning(warning)).append("\n\n");
        md.append("## ").append(l.text("summary")).append("\n\n")
                .append(a.summary().isBlank() ? "_" + l.text("no_summary") + "_" : a.summary()).append("\n\n");
        md.append("## ").append(l.text("action_items")).append("\n\n");
        if (a.actionItems().isEmpty()) md.append("_").append(l.text("none_stated")).append("_\n");
        for (ActionItem item : a.actionItems()) {
            md.append("- [ ] ").append(item.description());
            md.append(item.owner() != null ? " — **" + item.owner() + "**" : " — _" + l.text("unassigned") + "_");
            if (item.due() != null) {
                md.append(" (").append(l.text("due")).append(" ").append(item.due());
                if (item.dueDate() != null) md.append(", ").append(item.dueDate());
                md.append(")");
            }
            evidence(md, item.evidence(), item.supported(), l);
        }
        list(md, l.text("decisions"), a.decisions(), l);
        list(md, l.text("open_questions"), a.openQuestions(), l);
        for (Section section : a.sections()) {
            md.append("\n## ").append(section.name()).append("\n\n");
            if (section.items().isEmpty()) md.append("_").append(l.text("none_stated")).append("_\n");
            for (String item : section.items()) md.append("- ").append(item).append('\n');
        }
        if (!a.coverage().isEmpty()) {
            md.append("\n## ").append(l.text("coverage")).append("\n\n");
            for (PartCoverage c : a.coverage()) {
                md.append("- ").append(l.text("coverage_part", c.part(), c.parts(), c.actionItems(), c.decisions(),
                        c.openQuestions())).append('\n');
            }
        }
        if (!a.topics().isEmpty()) md.append("\n## ").append(l.text("topics")).append("\n\n").append(String.join(", ", a.topics())).append('\n');
        md.append("\n## ").append(l.text("participants")).append("\n\n");
        if (a.participants().isEmpty()) md.append("_").append(l.text("no_speakers")).append("_\n");
        else {
            md.append("| ").append(l.text("name")).append(" | ").append(l.text("words")).append(" | ").append(l.text("talk_time"))
                    .append(" |\n|---|---:|---:|\n");
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
        if (a.template() != null) md.append(l.text("template")).append(": ").append(a.template());
        if (a.template() != null && a.language() != null) md.append(" · ");
        if (a.language() != null) md.append(l.text("language")).append(": ").append(a.language());
        md.append("_\n\n");
        if (l.standInFor(a.language())) {
            md.append("> **Note:** the minutes are in ").append(LanguageChoice.englishName(a.language()))
                    .append("; their headings and labels are in English (Markdown labels exist for ")
                    .append(String.join(", ", MarkdownLabels.LANGUAGES)).append(").\n\n");
        }
    }

    private static void list(StringBuilder md, String heading, List<Finding> items, MarkdownLabels l) {
        md.append("\n## ").append(heading).append("\n\n");
        if (items.isEmpty()) md.append("_").append(l.text("none_stated")).append("_\n");
        for (Finding item : items) {
            md.append("- ").append(item.text());
            evidence(md, item.evidence(), item.supported(), l);
        }
    }

    /**
     * Where an item was said, on the line under it: speaker, time and segment number (its place in the transcript,
     * {@code #N} as the transcript view and the JSON count), and the quote; an unsupported item says so.
     */
    private static void evidence(StringBuilder md, Evidence e, boolean supported, MarkdownLabels l) {
        if (!supported) md.append(" — ⚠ _").append(l.text("unsupported")).append("_");
        md.append('\n');
        if (e == null) return;
        md.append("  <br>_");
        if (e.speaker() != null) md.append(e.speaker()).append(", ");
        if (e.start() != null) md.append(clock(e.start())).append(", ");
        md.append(l.text("segment", e.segment())).append("_: “").append(e.quote().replace("\n", " ")).append("”\n");
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
