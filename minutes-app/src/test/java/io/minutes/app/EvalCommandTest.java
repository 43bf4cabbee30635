package io.minutes.app;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.minutes.core.testing.TestCorpus;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;

import static org.assertj.core.api.Assertions.assertThat;

class EvalCommandTest {

    private final StringWriter out = new StringWriter();
    private final StringWriter err = new StringWriter();

    private int eval(String... args) {
        CommandLine cli = Main.commandLine();
        cli.setOut(new PrintWriter(out, true));
        cli.setErr(new PrintWriter(err, true));
        String[] all = new String[args.length + 1];
        all[0] = "eval";
        System.arraycopy(args, 0, all, 1, args.length);
        return cli.execute(all);
    }

    @Test
    void measuresTheLocalAnalyzerOnEveryReferenceOfTheCorpus() throws Exception {
        Path corpus = TestCorpus.file("txt/ethereum-pm__AllCoreDevs-EL-meeting-100.md").getParent().getParent();
        assertThat(eval(corpus.toString(), "--json")).as(err.toString()).isZero();
        JsonNode report = new ObjectMapper().readTree(out.toString());
        assertThat(report.get("meetings")).hasSize(6);
        JsonNode acd = null;
        for (JsonNode m : report.get("meetings")) if (m.get("id").asText().contains("AllCoreDevs-EL-meeting-100")) acd = m;
        assertThat(acd).isNotNull();
        assertThat(acd.at("/combined/reference").asInt()).isEqualTo(6);
        // issue 18's bar: 0.33 (2 of 6) before, at least doubled
        assertThat(acd.at("/combined/recall").asDouble()).isGreaterThanOrEqualTo(0.66);
        assertThat(report.at("/overall/summaries").asInt()).isEqualTo(4);
        assertThat(report.at("/overall/mean_summary/rouge1_f1").asDouble()).isGreaterThan(0.24);
        assertThat(report.at("/overall/owners/not_participants").asInt()).isZero();
        assertThat(report.at("/overall/evidence/items").asInt()).isPositive();
        assertThat(report.at("/overall/evidence/found").asInt()).isEqualTo(report.at("/overall/evidence/items").asInt());
    }

    @Test
    void aTeamsOwnReferenceIsScored(@TempDir Path dir) throws Exception {
        Files.writeString(dir.resolve("sync.txt"), """
                Lena Novak: Priya, can you ask legal about data retention for beta accounts by next Tuesday?
                Priya Shah: Yes, I'll take that. Thanks everyone, see you Thursday.
                Lena Novak: We decided that the beta ships on December 3rd without paid plans.
                """);
        Files.writeString(dir.resolve("sync.reference.json"), """
                {"transcript": "sync.txt",
                 "action_items": [{"description": "Ask legal about data retention for beta accounts", "owner": "Priya Shah"}],
                 "decisions": ["The beta ships on December 3rd without paid plans"]}
                """);
        assertThat(eval(dir.resolve("sync.reference.json").toString(), "--json")).as(err.toString()).isZero();
        JsonNode m = new ObjectMapper().readTree(out.toString()).get("meetings").get(0);
        assertThat(m.at("/actions/recall").asDouble()).isEqualTo(1.0);
        assertThat(m.at("/decisions/recall").asDouble()).isEqualTo(1.0);
        assertThat(m.at("/owners/owner_matched").asInt()).isEqualTo(1);
        assertThat(m.at("/evidence/items").asInt()).isEqualTo(2);
        assertThat(m.at("/evidence/found").asInt()).isEqualTo(2);
    }

    @Test
    void aFileThatIsNotAReferenceIsAClearError(@TempDir Path dir) throws Exception {
        Path notes = Files.writeString(dir.resolve("notes.json"), "{\"title\": \"weekly\"}");
        assertThat(eval(notes.toString())).isEqualTo(2);
        assertThat(err.toString()).contains("notes.json: not a reference file").doesNotContain("Exception");
        Path missing = Files.writeString(dir.resolve("r.json"), "{\"transcript\": \"gone.vtt\", \"summary\": \"x\"}");
        assertThat(eval(missing.toString())).isEqualTo(2);
        assertThat(err.toString()).contains("gone.vtt does not exist");
    }
}
