package io.minutes.app.eval;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.minutes.app.output.Json;
import io.minutes.core.eval.ItemMatching;
import io.minutes.core.eval.Scores;

import java.io.PrintWriter;
import java.util.Locale;

/** {@code minutes eval}'s report, as a table for people and as JSON for scripts. */
public final class EvalOutput {

    private EvalOutput() {
    }

    public static void text(PrintWriter out, Scores.Report report) {
        out.printf("minutes eval: %d meeting%s with reference minutes, analyzer %s%n%n", report.meetings().size(),
                report.meetings().size() == 1 ? "" : "s", report.analyzer());
        String header = String.format(Locale.ROOT, "%-44s %-13s %-13s %-13s %-9s %-8s %-9s %-6s %-6s",
                "meeting", "actions P/R", "decisions P/R", "combined P/R", "owner ok", "not part", "evidence", "R1-F", "RL-F");
        out.println(header);
        for (Scores.Meeting m : report.meetings()) {
            if (m.error() != null) {
                out.printf("%-44s failed: %s%n", cut(m.id()), m.error());
                continue;
            }
            out.println(row(cut(m.id()), m.actions(), m.decisions(), m.combined(), m.owners(), m.evidence(), m.summary()));
        }
        Scores.Overall o = report.overall();
        out.println(row("OVERALL (sums; ROUGE: mean of " + o.summaries() + ")", o.actions().reference() == 0 ? null : o.actions(),
                o.decisions().reference() == 0 ? null : o.decisions(), o.combined().reference() == 0 ? null : o.combined(),
                o.owners(), o.evidence(), o.meanSummary()));
        out.println();
        if (o.failed() > 0) out.printf("%d meeting%s failed (see above).%n", o.failed(), o.failed() == 1 ? "" : "s");
        out.printf("Owners: %d action item%s with an owner, %d a speaker of the transcript, %d not.%n", o.owners().owned(),
                o.owners().owned() == 1 ? "" : "s", o.owners().participants(), o.owners().notParticipants());
        out.printf("Evidence: %d item%s (actions, decisions, open questions), %d citing where it was said, %d with the quote found "
                + "in the cited segment or one next to it.%n", o.evidence().items(), o.evidence().items() == 1 ? "" : "s",
                o.evidence().cited(), o.evidence().found());
        out.println(o.schemaReported() == 0 ? "Schema-valid on the first try: not reported by this analyzer."
                : String.format("Schema-valid on the first try: %d of %d.", o.schemaValidFirstTry(), o.schemaReported()));
        for (Scores.Meeting m : report.meetings()) {
            if (m.caveat() != null) out.printf("Note: %s is %s.%n", m.id(), m.caveat());
        }
        out.printf(Locale.ROOT, "Matching: an extracted item counts when it holds at least %.0f%% of a reference item's content "
                + "terms; \"owner ok\" is matched reference actions given to the same person; \"not part\" is owners who did "
                + "not speak in the transcript; \"evidence\" is items whose quote was found where they cite / all items.%n", ItemMatching.THRESHOLD * 100);
    }

    private static String row(String id, Scores.Counts actions, Scores.Counts decisions, Scores.Counts combined,
                              Scores.Owners owners, Scores.EvidenceFound evidence, Scores.Summary summary) {
        return String.format(Locale.ROOT, "%-44s %-13s %-13s %-13s %-9s %-8s %-9s %-6s %-6s", id, pr(actions), pr(decisions), pr(combined),
                owners.referenceOwned() == 0 ? "-" : owners.ownerMatched() + "/" + owners.referenceOwned(),
                String.valueOf(owners.notParticipants()), evidence.found() + "/" + evidence.items(),
                summary == null ? "-" : String.format(Locale.ROOT, "%.3f", summary.rouge1F1()),
                summary == null ? "-" : String.format(Locale.ROOT, "%.3f", summary.rougeLF1()));
    }

    private static String pr(Scores.Counts c) {
        if (c == null) return "-";
        return fraction(c.precision()) + "/" + fraction(c.recall());
    }

    private static String fraction(Double d) {
        return d == null ? "n/a" : String.format(Locale.ROOT, "%.2f", d);
    }

    private static String cut(String id) {
        return id.length() <= 44 ? id : id.substring(0, 41) + "...";
    }

    public static String json(Scores.Report report) throws java.io.IOException {
        ObjectNode root = Json.MAPPER.createObjectNode();
        root.put("analyzer", report.analyzer());
        root.put("match_threshold", ItemMatching.THRESHOLD);
        ArrayNode meetings = root.putArray("meetings");
        for (Scores.Meeting m : report.meetings()) {
            ObjectNode n = meetings.addObject();
            n.put("id", m.id());
            n.put("source", m.source());
            if (m.caveat() != null) n.put("caveat", m.caveat());
            if (m.error() != null) n.put("error", m.error());
            counts(n, "actions", m.actions());
            counts(n, "decisions", m.decisions());
            counts(n, "combined", m.combined());
            owners(n, m.owners());
            evidence(n, m.evidence());
            summary(n, "summary", m.summary());
            if (m.schemaValidFirstTry() == null) n.putNull("schema_valid_first_try");
            else n.put("schema_valid_first_try", m.schemaValidFirstTry());
            ArrayNode found = n.putArray("found_action_items");
            m.foundActions().forEach(found::add);
            ArrayNode decided = n.putArray("found_decisions");
            m.foundDecisions().forEach(decided::add);
        }
        Scores.Overall o = report.overall();
        ObjectNode overall = root.putObject("overall");
        overall.put("meetings", o.meetings());
        overall.put("failed", o.failed());
        counts(overall, "actions", o.actions());
        counts(overall, "decisions", o.decisions());
        counts(overall, "combined", o.combined());
        owners(overall, o.owners());
        evidence(overall, o.evidence());
        summary(overall, "mean_summary", o.meanSummary());
        overall.put("summaries", o.summaries());
        overall.put("schema_valid_first_try", o.schemaValidFirstTry());
        overall.put("schema_reported", o.schemaReported());
        return Json.MAPPER.writeValueAsString(root);
    }

    private static void counts(ObjectNode parent, String name, Scores.Counts c) {
        if (c == null) {
            parent.putNull(name);
            return;
        }
        ObjectNode n = parent.putObject(name);
        n.put("extracted", c.extracted());
        n.put("reference", c.reference());
        n.put("extracted_matched", c.extractedMatched());
        n.put("reference_matched", c.referenceMatched());
        if (c.precision() == null) n.putNull("precision");
        else n.put("precision", round(c.precision()));
        if (c.recall() == null) n.putNull("recall");
        else n.put("recall", round(c.recall()));
    }

    private static void owners(ObjectNode parent, Scores.Owners o) {
        ObjectNode n = parent.putObject("owners");
        n.put("owned", o.owned());
        n.put("participants", o.participants());
        n.put("not_participants", o.notParticipants());
        n.put("reference_owned", o.referenceOwned());
        n.put("owner_matched", o.ownerMatched());
    }

    private static void evidence(ObjectNode parent, Scores.EvidenceFound e) {
        ObjectNode n = parent.putObject("evidence");
        n.put("items", e.items());
        n.put("cited", e.cited());
        n.put("found", e.found());
    }

    private static void summary(ObjectNode parent, String name, Scores.Summary s) {
        if (s == null) {
            parent.putNull(name);
            return;
        }
        ObjectNode n = parent.putObject(name);
        n.put("rouge1_f1", round(s.rouge1F1()));
        n.put("rougeL_f1", round(s.rougeLF1()));
    }

    private static double round(double d) {
        return Math.round(d * 1000) / 1000.0;
    }
}
