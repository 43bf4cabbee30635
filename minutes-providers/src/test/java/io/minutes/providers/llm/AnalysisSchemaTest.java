package io.minutes.providers.llm;

import io.minutes.core.domain.Evidence;
import io.minutes.core.domain.Finding;
import io.minutes.core.domain.PartCoverage;
import io.minutes.core.testing.Items;
import com.fasterxml.jackson.databind.JsonNode;
import io.minutes.core.domain.ActionItem;
import io.minutes.core.domain.Analysis;
import io.minutes.core.domain.Segment;
import io.minutes.core.domain.Transcript;
import io.minutes.providers.http.ProviderHttp;
import org.junit.jupiter.api.Test;

import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

class AnalysisSchemaTest {

    private static JsonNode json(String s) throws Exception {
        return ProviderHttp.JSON.readTree(s);
    }

    @Test
    void theSchemaIsStrict() {
        JsonNode schema = AnalysisSchema.schema();
        assertThat(schema.get("additionalProperties").asBoolean()).isFalse();
        assertThat(schema.get("required")).hasSize(6);
        JsonNode item = schema.at("/properties/action_items/items");
        assertThat(item.get("additionalProperties").asBoolean()).isFalse();
        assertThat(item.at("/properties/owner/type").toString()).isEqualTo("[\"string\",\"null\"]");
        assertThat(item.get("required")).extracting(JsonNode::asText).containsExactly("description", "owner", "due", "evidence");
        for (String at : List.of("/properties/action_items/items/properties/evidence",
                "/properties/decisions/items/properties/evidence", "/properties/open_questions/items/properties/evidence")) {
            JsonNode evidence = schema.at(at);
            assertThat(evidence.get("additionalProperties").asBoolean()).as(at).isFalse();
            assertThat(evidence.get("required")).extracting(JsonNode::asText).containsExactly("segment", "speaker", "quote");
            assertThat(evidence.at("/properties/segment/type").asText()).isEqualTo("integer");
        }
        JsonNode decision = schema.at("/properties/decisions/items");
        assertThat(decision.get("additionalProperties").asBoolean()).isFalse();
        assertThat(decision.get("required")).extracting(JsonNode::asText).containsExactly("text", "evidence");
    }

    @Test
    void validationNamesEveryProblemByPath() throws Exception {
        List<String> errors = AnalysisSchema.validate(json("""
                {"summary": "", "action_items": [{"description": "Do it", "owner": 3}, "x",
                   {"description": "Go", "owner": null, "due": null, "evidence": {"segment": -1, "speaker": 2}}],
                 "decisions": "none", "topics": [1], "participants": []}"""));
        assertThat(errors).containsExactlyInAnyOrder(
                "$.summary: must not be empty",
                "$.action_items[0].owner: must be a string or null",
                "$.action_items[0].due: missing (use null when the meeting does not say)",
                "$.action_items[0].evidence: missing (the line number, speaker and a verbatim quote of where it was said)",
                "$.action_items[1]: must be an object with description, owner, due, evidence",
                "$.action_items[2].evidence.segment: must be the number (0 or more) of a transcript line",
                "$.action_items[2].evidence.speaker: must be a string or null",
                "$.action_items[2].evidence.quote: must be a non-empty string",
                "$.decisions: must be an array of objects with text and evidence",
                "$.open_questions: missing (use [] when there are none)",
                "$.topics[0]: must be a string");
        assertThat(AnalysisSchema.validate(json("[1]"))).singleElement().asString().startsWith("$: the answer must be a JSON object");
    }

    @Test
    void aValidAnswerBecomesMinutesWithCountedParticipants() throws Exception {
        JsonNode answer = json("""
                {"summary": " Launch moved. ", "action_items": [{"description": "Send plan", "owner": "Bob", "due": null,
                   "evidence": {"segment": 1, "speaker": "Bob", "quote": "four five"}}],
                 "decisions": [{"text": "March", "evidence": {"segment": 0, "speaker": null, "quote": " one two "}}],
                 "open_questions": [], "topics": ["launch", " "], "participants": ["Alice", "Bob", "Zoe"]}""");
        assertThat(AnalysisSchema.validate(answer)).isEmpty();
        Transcript t = new Transcript("vtt", List.of(new Segment("Alice", 0.0, 4.0, "one two three"),
                new Segment("Bob", 4.0, 5.5, "four five")));

        Analysis a = AnalysisSchema.toAnalysis(answer, "Title", t);

        assertThat(a.summary()).isEqualTo("Launch moved.");
        assertThat(a.actionItems()).containsExactly(Items.action("Send plan", "Bob", null, 1, "Bob", "four five"));
        assertThat(a.decisions()).containsExactly(new Finding("March", new Evidence(0, null, null, "one two"), true));
        assertThat(a.topics()).containsExactly("launch");
        assertThat(a.participants()).extracting(p -> p.name() + ":" + p.words() + ":" + p.talkSeconds())
                .containsExactly("Alice:3:4.0", "Bob:2:1.5", "Zoe:0:null");
    }

    @Test
    void mergedMinutesGetBackAnActionItemTheMergeDropped() {
        Analysis part1 = new Analysis("t", "a", List.of(Items.action("Book the venue", "Alice", null)), Items.findings("Go"), List.of(), List.of(), List.of());
        Analysis part2 = new Analysis("t", "b", List.of(Items.action("Send the budget to finance", "Bob", "Friday"),
                Items.action("Send the budget to finance", "Carol", null)), List.of(), List.of(), List.of(), List.of());
        Analysis merged = new Analysis("t", "ab", List.of(Items.action("Alice books the venue", "Alice", null),
                Items.action("Send the budget to finance by Friday", "Bob", "Friday")), List.of(), List.of(), List.of(), List.of());

        Analysis kept = LlmAnalyzer.keepEveryItem(merged, List.of(part1, part2));

        assertThat(kept.actionItems()).extracting(i -> i.description() + "/" + i.owner()).containsExactly(
                "Alice books the venue/Alice", "Send the budget to finance by Friday/Bob", "Send the budget to finance/Carol");
        assertThat(Items.texts(kept.decisions())).containsExactly("Go");
        assertThat(kept.coverage()).containsExactly(new PartCoverage(1, 2, 1, 1, 0), new PartCoverage(2, 2, 2, 0, 0));
    }

    @Test
    void theMergeKeepsEveryDecisionAndOpenQuestionOfEveryPart() {
        Analysis part1 = new Analysis("t", "a", List.of(), Items.findings("Ship the beta in March"),
                Items.findings("Who owns the data retention policy?"), List.of(), List.of());
        Analysis part2 = new Analysis("t", "b", List.of(), Items.findings("Hire two more support engineers"),
                Items.findings("Do we need a new venue?"), List.of(), List.of());
        Analysis merged = new Analysis("t", "ab", List.of(), Items.findings("We ship the beta in March"), List.of(), List.of(), List.of());

        Analysis kept = LlmAnalyzer.keepEveryItem(merged, List.of(part1, part2));

        assertThat(Items.texts(kept.decisions())).containsExactly("We ship the beta in March", "Hire two more support engineers");
        assertThat(Items.texts(kept.openQuestions())).containsExactly("Who owns the data retention policy?", "Do we need a new venue?");
    }

    @Test
    void itemsThatDifferInANumberAreDifferentItems() {
        assertThat(LlmAnalyzer.similar("Follow up on part 1", "Follow up on part 2")).isFalse();
        assertThat(LlmAnalyzer.similar("Ship release 1.4 by March 3", "ship release 1.4 by March 3rd")).isFalse();
        assertThat(LlmAnalyzer.similar("Ship release 1.4", "Ship the release 1.4 soon")).isTrue();
    }
}
