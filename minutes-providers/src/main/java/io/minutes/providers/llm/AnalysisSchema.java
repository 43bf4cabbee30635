package io.minutes.providers.llm;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.minutes.core.domain.ActionItem;
import io.minutes.core.domain.Analysis;
import io.minutes.core.domain.Finding;
import io.minutes.core.domain.Participant;
import io.minutes.core.domain.Segment;
import io.minutes.core.domain.Transcript;
import io.minutes.providers.http.ProviderHttp;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * What a model must answer: Minutes' analysis as JSON. The schema is strict (every property
 * required, no others, owner and due nullable) so it serves OpenAI's structured outputs and
 * Anthropic's tool input alike; {@link #validate} checks an answer against it whatever the model
 * was told, and {@link #toAnalysis} turns a valid answer into the domain's {@link Analysis}.
 * Words spoken and talk time are counted from the transcript, not asked of the model.
 */
public final class AnalysisSchema {
    static final List<String> STRING_LISTS = List.of("decisions", "open_questions", "topics", "participants");

    private AnalysisSchema() {
    }

    public static ObjectNode schema() {
        ObjectNode root = object();
        ObjectNode props = root.putObject("properties");
        props.putObject("summary").put("type", "string")
                .put("description", "What the meeting was about and what came of it, in 3 to 8 sentences.");
        ObjectNode item = object();
        ObjectNode itemProps = item.putObject("properties");
        itemProps.putObject("description").put("type", "string").put("description", "What is to be done.");
        nullableString(itemProps.putObject("owner"), "Who will do it, as named in the meeting; null if nobody was named.");
        nullableString(itemProps.putObject("due"), "When it is due, as said in the meeting; null if no date was given.");
        required(item, "description", "owner", "due");
        ObjectNode actionItems = props.putObject("action_items");
        actionItems.put("type", "array").put("description", "Every task someone agreed or was asked to do.");
        actionItems.set("items", item);
        stringList(props.putObject("decisions"), "Decisions the meeting took.");
        stringList(props.putObject("open_questions"), "Questions raised and left unanswered.");
        stringList(props.putObject("topics"), "The main topics, a few words each.");
        stringList(props.putObject("participants"), "Names of the people who took part.");
        required(root, "summary", "action_items", "decisions", "open_questions", "topics", "participants");
        return root;
    }

    /** Every way {@code answer} departs from the schema, each as "path: problem"; empty when valid. */
    public static List<String> validate(JsonNode answer) {
        List<String> errors = new ArrayList<>();
        if (answer == null || !answer.isObject()) {
            errors.add("$: the answer must be a JSON object with the properties summary, action_items, decisions, open_questions, topics, participants");
            return errors;
        }
        JsonNode summary = answer.get("summary");
        if (summary == null) errors.add("$.summary: missing");
        else if (!summary.isTextual()) errors.add("$.summary: must be a string");
        else if (summary.asText().isBlank()) errors.add("$.summary: must not be empty");
        JsonNode items = answer.get("action_items");
        if (items == null) errors.add("$.action_items: missing");
        else if (!items.isArray()) errors.add("$.action_items: must be an array");
        else {
            for (int i = 0; i < items.size(); i++) {
                JsonNode it = items.get(i);
                String at = "$.action_items[" + i + "]";
                if (!it.isObject()) {
                    errors.add(at + ": must be an object with description, owner, due");
                    continue;
                }
                JsonNode d = it.get("description");
                if (d == null || !d.isTextual() || d.asText().isBlank()) errors.add(at + ".description: must be a non-empty string");
                for (String f : List.of("owner", "due")) {
                    JsonNode v = it.get(f);
                    if (v == null) errors.add(at + "." + f + ": missing (use null when the meeting does not say)");
                    else if (!v.isTextual() && !v.isNull()) errors.add(at + "." + f + ": must be a string or null");
                }
            }
        }
        for (String field : STRING_LISTS) {
            JsonNode list = answer.get(field);
            if (list == null) {
                errors.add("$." + field + ": missing (use [] when there are none)");
            } else if (!list.isArray()) {
                errors.add("$." + field + ": must be an array of strings");
            } else {
                for (int i = 0; i < list.size(); i++) {
                    if (!list.get(i).isTextual()) errors.add("$." + field + "[" + i + "]: must be a string");
                }
            }
        }
        return errors;
    }

    /** The domain analysis of a valid answer; participants carry the words and talk time the transcript shows. */
    public static Analysis toAnalysis(JsonNode answer, String title, Transcript transcript) {
        List<ActionItem> actions = new ArrayList<>();
        for (JsonNode it : answer.get("action_items")) {
            actions.add(new ActionItem(it.get("description").asText().strip(), nullable(it.get("owner")), nullable(it.get("due")),
                    null, null, true));
        }
        return new Analysis(title, answer.get("summary").asText().strip(), actions, findings(answer, "decisions"),
                findings(answer, "open_questions"), strings(answer, "topics"),
                participants(transcript, strings(answer, "participants")));
    }

    /** A valid answer as JSON again (for the merge prompt). */
    static ObjectNode toJson(Analysis a) {
        ObjectNode root = ProviderHttp.JSON.createObjectNode();
        root.put("summary", a.summary());
        ArrayNode items = root.putArray("action_items");
        for (ActionItem i : a.actionItems()) {
            ObjectNode n = items.addObject();
            n.put("description", i.description());
            n.put("owner", i.owner());
            n.put("due", i.due());
        }
        a.decisions().forEach(f -> root.withArray("decisions").add(f.text()));
        a.openQuestions().forEach(f -> root.withArray("open_questions").add(f.text()));
        a.topics().forEach(root.putArray("topics")::add);
        ArrayNode participants = root.putArray("participants");
        a.participants().forEach(p -> participants.add(p.name()));
        return root;
    }

    static List<Participant> participants(Transcript transcript, List<String> named) {
        Map<String, int[]> words = new LinkedHashMap<>();
        Map<String, double[]> seconds = new LinkedHashMap<>();
        Map<String, Boolean> timed = new LinkedHashMap<>();
        for (Segment s : transcript.segments()) {
            if (s.speaker() == null || s.speaker().isBlank()) continue;
            String name = s.speaker().strip();
            String text = s.text().strip();
            words.computeIfAbsent(name, k -> new int[1])[0] += text.isEmpty() ? 0 : text.split("\\s+").length;
            seconds.computeIfAbsent(name, k -> new double[1])[0] += s.hasTimes() ? Math.max(0, s.endSeconds() - s.startSeconds()) : 0;
            timed.merge(name, s.hasTimes(), Boolean::logicalAnd);
        }
        List<Participant> out = new ArrayList<>();
        words.forEach((name, w) -> out.add(new Participant(name, w[0],
                timed.get(name) ? Math.round(seconds.get(name)[0] * 1000) / 1000.0 : null)));
        for (String n : named) {
            String name = n.strip();
            if (name.isEmpty()) continue;
            boolean known = out.stream().anyMatch(p -> p.name().toLowerCase(Locale.ROOT).contains(name.toLowerCase(Locale.ROOT))
                    || name.toLowerCase(Locale.ROOT).contains(p.name().toLowerCase(Locale.ROOT)));
            if (!known) out.add(new Participant(name, 0, null));
        }
        out.sort((a, b) -> Integer.compare(b.words(), a.words()));
        return out;
    }

    private static List<String> strings(JsonNode answer, String field) {
        List<String> out = new ArrayList<>();
        for (JsonNode n : answer.get(field)) {
            String s = n.asText().strip();
            if (!s.isEmpty()) out.add(s);
        }
        return out;
    }

    private static List<Finding> findings(JsonNode answer, String field) {
        return strings(answer, field).stream().map(text -> new Finding(text, null, true)).toList();
    }

    private static String nullable(JsonNode n) {
        if (n == null || n.isNull()) return null;
        String s = n.asText().strip();
        return s.isEmpty() ? null : s;
    }

    private static ObjectNode object() {
        ObjectNode n = ProviderHttp.JSON.createObjectNode();
        n.put("type", "object");
        n.put("additionalProperties", false);
        return n;
    }

    private static void required(ObjectNode node, String... names) {
        ArrayNode r = node.putArray("required");
        for (String n : names) r.add(n);
    }

    private static void nullableString(ObjectNode node, String description) {
        node.putArray("type").add("string").add("null");
        node.put("description", description);
    }

    private static void stringList(ObjectNode node, String description) {
        node.put("type", "array").put("description", description);
        node.putObject("items").put("type", "string");
    }
}
