package io.minutes.app;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

/** {@code --language} and {@code --template} from the command line, on the samples, with the built-in analyzer. */
class LanguageAndTemplateRunTest {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final Path SAMPLES = Path.of(System.getProperty("minutes.root", ".."), "samples");

    @TempDir
    Path work;

    @Test
    void autoPicksEachSamplesTemplateAndLanguage() throws Exception {
        MinutesProcess.Finished run = MinutesProcess.run(work, "run", SAMPLES.toString(), "--out", "out", "--db", "m.db", "--json");

        assertThat(run.exitCode()).as(run.stderr()).isZero();
        JsonNode council = JSON.readTree(work.resolve("out/council-budget-workshop.json").toFile());
        assertThat(council.get("template").asText()).isEqualTo("council");
        assertThat(council.get("language").asText()).isEqualTo("en");
        JsonNode sync = JSON.readTree(work.resolve("out/product-sync-2026-11-16.json").toFile());
        assertThat(sync.get("template").asText()).isEqualTo("general");
        assertThat(Files.readString(work.resolve("out/council-budget-workshop.md"))).contains("_Template: council · Language: en_");
    }

    @Test
    void theReadmesTemplateFileWorksAsPasted() throws Exception {
        Files.writeString(work.resolve("design-review.txt"), """
                # Minutes template for our design reviews
                name: design-review
                version: 2
                instructions: This is a design review. Record each proposal and the risks raised.
                section: Proposals | Each design proposal and who made it.
                section: Risks | Risks raised and who raised them.
                """);
        MinutesProcess.Finished run = MinutesProcess.run(work, "run", SAMPLES.resolve("product-sync-2026-11-16.vtt").toString(),
                "--out", "out", "--db", "m.db", "--json", "--template", "design-review.txt", "--language", "de");

        assertThat(run.exitCode()).as(run.stderr()).isZero();
        JsonNode minutes = JSON.readTree(work.resolve("out/product-sync-2026-11-16.json").toFile());
        assertThat(minutes.get("template").asText()).isEqualTo("design-review");
        assertThat(minutes.get("language").asText()).as("the built-in analyzer writes in the meeting's language").isEqualTo("en");
        assertThat(minutes.get("warnings").toString()).contains("cannot translate").contains("applied only the general shape");
    }

    @Test
    void aBadTemplateFileOrLanguageIsAnErrorNamingIt() throws Exception {
        Files.writeString(work.resolve("team.txt"), "name: team\nversion: 1\nsektion: Risks\n");
        MinutesProcess.Finished run = MinutesProcess.run(work, "run", SAMPLES.toString(), "--out", "out", "--db", "m.db",
                "--template", "team.txt");
        assertThat(run.exitCode()).isNotZero();
        assertThat(run.stderr()).contains("setting 'template' (--template): team.txt line 3: unknown key 'sektion'")
                .doesNotContain("Exception");

        MinutesProcess.Finished env = MinutesProcess.run(work, Map.of("MINUTES_LANGUAGE", "german"), "run", SAMPLES.toString(),
                "--out", "out", "--db", "m.db");
        assertThat(env.exitCode()).isNotZero();
        assertThat(env.stderr()).contains("setting 'language' (MINUTES_LANGUAGE): 'german' is not a language");
    }

    /** The language asked for and each meeting's auto template reach an OpenAI-compatible provider's requests, over real HTTP. */
    @Test
    void theLanguageAndEachMeetingsTemplateReachTheProvider() throws Exception {
        try (SharedOpenAiProvider provider = new SharedOpenAiProvider(60_000, Duration.ofMillis(1))) {
            MinutesProcess.Finished run = MinutesProcess.run(work, Map.of("OPENAI_API_KEY", SharedOpenAiProvider.KEY), "run",
                    SAMPLES.resolve("council-budget-workshop.txt").toString(), SAMPLES.resolve("product-sync-2026-11-16.vtt").toString(),
                    "--out", "out", "--db", "m.db", "--json", "--provider", "openai", "--base-url", provider.baseUrl(),
                    "--language", "de");

            assertThat(run.exitCode()).as(run.stderr()).isZero();
            List<String> systemPrompts = new java.util.ArrayList<>();
            for (String body : provider.answeredBodies()) {
                systemPrompts.add(JSON.readTree(body).path("messages").path(0).path("content").asText());
            }
            assertThat(systemPrompts).hasSize(2).allSatisfy(p -> assertThat(p).contains("write the minutes in German (de)"));
            assertThat(systemPrompts).anySatisfy(p -> assertThat(p).contains("Template: council.").contains("- Motions:"))
                    .anySatisfy(p -> assertThat(p).contains("Template: general.").contains("sections: answer []."));
            JsonNode council = JSON.readTree(work.resolve("out/council-budget-workshop.json").toFile());
            assertThat(council.get("language").asText()).isEqualTo("de");
            assertThat(council.get("template").asText()).isEqualTo("council");
            assertThat(Files.readString(work.resolve("out/council-budget-workshop.md"))).contains("## Zusammenfassung", "_Vorlage: council · Sprache: de_");
        }
    }

    /**
     * Another template is another batch (not a resume of the finished one, nor duplicates of its meetings), and
     * the result cache answers every meeting whose template did not change: only the others reach the provider.
     */
    @Test
    void anotherTemplateAnalysesAgainOnlyTheMeetingsItChanges() throws Exception {
        try (SharedOpenAiProvider provider = new SharedOpenAiProvider(60_000, Duration.ofMillis(1))) {
            Map<String, String> env = Map.of("OPENAI_API_KEY", SharedOpenAiProvider.KEY);
            String[] common = {"run", SAMPLES.resolve("council-budget-workshop.txt").toString(),
                    SAMPLES.resolve("product-sync-2026-11-16.vtt").toString(), "--out", "out", "--db", "m.db", "--json",
                    "--provider", "openai", "--base-url", provider.baseUrl()};
            MinutesProcess.Finished auto = MinutesProcess.run(work, env, common);
            assertThat(auto.exitCode()).as(auto.stderr()).isZero();
            assertThat(provider.answeredBodies()).as("council and general").hasSize(2);

            List<String> council = new java.util.ArrayList<>(List.of(common));
            council.addAll(List.of("--template", "council"));
            MinutesProcess.Finished again = MinutesProcess.run(work, env, council.toArray(String[]::new));

            assertThat(again.exitCode()).as(again.stderr()).isZero();
            assertThat(provider.answeredBodies()).as("only the product sync, now a council meeting, is asked again").hasSize(3);
            assertThat(provider.answeredBodies().get(2)).contains("Template: council.").contains("beta launch");
            JsonNode sync = JSON.readTree(work.resolve("out/product-sync-2026-11-16.json").toFile());
            assertThat(sync.get("template").asText()).isEqualTo("council");
        }
    }
}
