package io.minutes.providers.emulator;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;

/**
 * The minutes an emulated model answers for a line: valid against the analysis schema (the same shape as the
 * contract tests' realtime answer), derived from the meeting's title and speakers, so a test can tell which
 * meeting an answer belongs to. {@code padding} characters lengthen the summary (a large output file).
 */
final class EmulatedMinutes {
    static final ObjectMapper JSON = new ObjectMapper();

    private EmulatedMinutes() {
    }

    static ObjectNode of(EmulatedLine line, int padding) {
        ObjectNode a = JSON.createObjectNode();
        if (line.outcome() == EmulatedLine.Outcome.INVALID_ANSWER) {
            a.put("summary", "Minutes of " + line.title() + ".");
            return a; // no action_items, decisions...: fails the schema
        }
        StringBuilder summary = new StringBuilder("Minutes of ").append(line.title()).append(": the team moved the launch to March.");
        while (summary.length() < padding) summary.append(" The audit is late.");
        a.put("summary", summary.toString());
        String owner = line.speakers().isEmpty() ? null : line.speakers().getFirst();
        ArrayNode items = a.putArray("action_items");
        ObjectNode item = items.addObject().put("description", "Send the revised plan for " + line.title()).put("owner", owner).put("due", "Friday");
        cite(item, owner, "send the revised plan");
        cite(a.putArray("decisions").addObject().put("text", "Move the launch to March."), owner, "move the launch to March");
        cite(a.putArray("open_questions").addObject().put("text", "Is a new venue needed for the launch event?"), owner, "a new venue");
        a.putArray("topics").add("launch plan");
        ArrayNode participants = a.putArray("participants");
        line.speakers().forEach(participants::add);
        return a;
    }

    /** The evidence the schema asks of every item: the first segment, as a model that read it would cite. */
    private static void cite(ObjectNode item, String speaker, String quote) {
        item.putObject("evidence").put("segment", 0).put("speaker", speaker).put("quote", quote);
    }

    /** Output tokens of an answer, as a model would count them (about four characters a token). */
    static long tokens(String text) {
        return Math.max(1, text.length() / 4);
    }
}
