package io.minutes.providers.llm;

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
    }

    @Test
    void validationNamesEveryProblemByPath() throws Exception {
        List<String> errors = AnalysisSchema.validate(json("""
                {"summary": "", "action_items": [{"description": "Do it", "owner": 3}, "x"],
                 "decisions": "none", "topics": [1], "participants": []}"""));
        assertThat(errors).containsExactlyInAnyOrder(
                "$.summary: must not be empty",
                "$.action_items[0].owner: must be a string or null",
                "$.action_items[0].due: missing (use null when the meeting does not say)",
                "$.action_items[1]: must be an object with description, owner, due",
                "$.decisions: must be an array of strings",
                "$.open_questions: missing (use [] when there are none)",
                "$.topics[0]: must be a string");
        assertThat(AnalysisSchema.validate(json("[1]"))).singleElement().asString().startsWith("$: the answer must be a JSON object");
    }

    @Test
    void aValidAnswerBecomesMinutesWithCountedParticipants() throws Exception {
        JsonNode answer = json("""
                {"summary": " Launch moved. ", "action_items": [{"description": "Send plan", "owner": "Bob", "due": null}],
                 "decisions": ["March"], "open_questions": [], "topics": ["launch", " "], "participants": ["Alice", "Bob", "Zoe"]}""");
        assertThat(AnalysisSchema.validate(answer)).isEmpty();
        Transcript t = new Transcript("vtt", List.of(new Segment("Alice", 0.0, 4.0, "one two three"),
                new Segment("Bob", 4.0, 5.5, "four five")));

        Analysis a = AnalysisSchema.toAnalysis(answer, "Title", t);

        assertThat(a.summary()).isEqualTo("Launch moved.");
        assertThat(a.actionItems()).containsExactly(Items.action("Send plan", "Bob", null));
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
    }

    @Test
    void itemsThatDifferInANumberAreDifferentItems() {
        assertThat(LlmAnalyzer.similar("Follow up on part 1", "Follow up on part 2")).isFalse();
        assertThat(LlmAnalyzer.similar("Ship release 1.4 by March 3", "ship release 1.4 by March 3rd")).isFalse();
        assertThat(LlmAnalyzer.similar("Ship release 1.4", "Ship the release 1.4 soon")).isTrue();
    }
}
