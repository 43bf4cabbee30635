package io.minutes.providers.llm;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.minutes.core.domain.ActionItem;
import io.minutes.core.domain.Analysis;
import io.minutes.core.domain.Evidence;
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
 * required, no others, owner and due nullable; every item cites its evidence) so it serves OpenAI's structured outputs and
 * Anthropic's tool input alike; {@link #validate} checks an answer against it whatever the model
 * was told, and {@link #toAnalysis} turns a valid answer into the domain's {@link Analysis}.
 * Words spoken and talk time are counted from the transcript, not asked of the model.
 */
public final class AnalysisSchema {
    static final List<String> STRING_LISTS = List.of("topics", "participants");
    static final List<String> FINDING_LISTS = List.of("decisions", "open_questions");

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
        itemProps.set("evidence", evidenceSchema());
        required(item, "description", "owner", "due", "evidence");
        ObjectNode actionItems = props.putObject("action_items");
        actionItems.put("type", "array").put("description", "Every task someone agreed or was asked to do.");
        actionItems.set("items", item);
        findingList(props.putObject("decisions"), "Decisions the meeting took.");
        findingList(props.putObject("open_questions"), "Questions raised and left unanswered.");
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
                    errors.add(at + ": must be an object with description, owner, due, evidence");
                    continue;
                }
                JsonNode d = it.get("description");
                if (d == null || !d.isTextual() || d.asText().isBlank()) errors.add(at + ".description: must be a non-empty string");
                for (String f : List.of("owner", "due")) {
                    JsonNode v = it.get(f);
                    if (v == null) errors.add(at + "." + f + ": missing (use null when the meeting does not say)");
                    else if (!v.isTextual() && !v.isNull()) errors.add(at + "." + f + ": must be a string or null");
                }
                validateEvidence(it.get("evidence"), at, errors);
            }
        }
        for (String field : FINDING_LISTS) {
            JsonNode list = answer.get(field);
            if (list == null) {
                errors.add("$." + field + ": missing (use [] when there are none)");
            } else if (!list.isArray()) {
                errors.add("$." + field + ": must be an array of objects with text and evidence");
            } else {
                for (int i = 0; i < list.size(); i++) {
                    JsonNode it = list.get(i);
                    String at = "$." + field + "[" + i + "]";
                    if (!it.isObject()) {
                        errors.add(at + ": must be an object with text and evidence");
                        continue;
                    }
                    JsonNode t = it.get("text");
                    if (t == null || !t.isTextual() || t.asText().isBlank()) errors.add(at + ".text: must be a non-empty string");
                    validateEvidence(it.get("evidence"), at, errors);
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
                    null, evidence(it.get("evidence")), true));
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
            putEvidence(n, i.evidence());
        }
        for (String field : FINDING_LISTS) {
            ArrayNode list = root.putArray(field);
            for (Finding f : field.equals("decisions") ? a.decisions() : a.openQuestions()) {
                putEvidence(list.addObject().put("text", f.text()), f.evidence());
            }
        }
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
        List<Finding> out = new ArrayList<>();
        for (JsonNode n : answer.get(field)) out.add(new Finding(n.get("text").asText().strip(), evidence(n.get("evidence")), true));
        return out;
    }

    /**
     * Where the model says an item was said: the segment number it read at the start of the line ({@code #12}),
     * the speaker and a verbatim quote. The start time is the transcript's, not asked of the model.
     */
    private static ObjectNode evidenceSchema() {
        ObjectNode evidence = object();
        evidence.put("description", "Where it was said: the transcript line that says it.");
        ObjectNode props = evidence.putObject("properties");
        props.putObject("segment").put("type", "integer")
                .put("description", "The number N of the transcript line (#N) that says it.");
        nullableString(props.putObject("speaker"), "Who said it, as the line names the speaker; null if the line names nobody.");
        props.putObject("quote").put("type", "string")
                .put("description", "A short quote, at most 25 words, copied word for word from that line.");
        required(evidence, "segment", "speaker", "quote");
        return evidence;
    }

    private static void validateEvidence(JsonNode e, String at, List<String> errors) {
        if (e == null) {
            errors.add(at + ".evidence: missing (the line number, speaker and a verbatim quote of where it was said)");
            return;
        }
        if (!e.isObject()) {
            errors.add(at + ".evidence: must be an object with segment, speaker, quote");
            return;
        }
        JsonNode segment = e.get("segment");
        if (segment == null || !segment.canConvertToInt() || !segment.isIntegralNumber() || segment.asInt() < 0) {
            errors.add(at + ".evidence.segment: must be the number (0 or more) of a transcript line");
        }
        JsonNode speaker = e.get("speaker");
        if (speaker == null) errors.add(at + ".evidence.speaker: missing (use null when the line names nobody)");
        else if (!speaker.isTextual() && !speaker.isNull()) errors.add(at + ".evidence.speaker: must be a string or null");
        JsonNode quote = e.get("quote");
        if (quote == null || !quote.isTextual() || quote.asText().isBlank()) errors.add(at + ".evidence.quote: must be a non-empty string");
    }

    private static Evidence evidence(JsonNode e) {
        return new Evidence(e.get("segment").asInt(), null, nullable(e.get("speaker")), e.get("quote").asText().strip());
    }

    private static void putEvidence(ObjectNode item, Evidence evidence) {
        if (evidence == null) {
            item.putNull("evidence");
            return;
        }
        ObjectNode e = item.putObject("evidence");
        e.put("segment", evidence.segment());
        e.put("speaker", evidence.speaker());
        e.put("quote", evidence.quote());
    }

    private static void findingList(ObjectNode node, String description) {
        node.put("type", "array").put("description", description);
        ObjectNode finding = object();
        ObjectNode props = finding.putObject("properties");
        props.putObject("text").put("type", "string").put("description", "The decision or question, in one sentence.");
        props.set("evidence", evidenceSchema());
        required(finding, "text", "evidence");
        node.set("items", finding);
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
