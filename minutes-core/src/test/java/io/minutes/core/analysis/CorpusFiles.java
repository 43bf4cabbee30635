package io.minutes.core.analysis;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.minutes.core.domain.Segment;
import io.minutes.core.domain.Transcript;
import io.minutes.core.testing.TestCorpus;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;


/** Reads the corpus for quality tests (its QMSum meetings and Ethereum notes are shipped in testdata/corpus). */
final class CorpusFiles {

    private static final Pattern TURN = Pattern.compile("^\\*\\*([^*]+)\\*\\*\\s*-\\s*(.*)$");
    private static final Pattern TABLE_ROW = Pattern.compile("^\\|\\s*\\*\\*[0-9.]+\\*\\*\\s*\\|\\s*(.*?)\\s*\\|\\s*$");

    private CorpusFiles() {
    }

    /** The corpus root holding the QMSum meetings and the Ethereum notes (all shipped in testdata/corpus). */
    static Path corpus() {
        return TestCorpus.file("txt/ethereum-pm__AllCoreDevs-EL-meeting-100.md").getParent().getParent();
    }

    record QmSumMeeting(String id, Transcript transcript, String reference) {
    }

    static List<QmSumMeeting> qmsum(Path corpus) throws IOException {
        ObjectMapper json = new ObjectMapper();
        List<QmSumMeeting> out = new ArrayList<>();
        try (var files = Files.list(corpus.resolve("summaries"))) {
            for (Path f : files.filter(p -> p.getFileName().toString().startsWith("qmsum__")).sorted().toList()) {
                JsonNode root = json.readTree(f.toFile());
                List<Segment> segments = new ArrayList<>();
                for (JsonNode turn : root.get("meeting_transcripts")) {
                    segments.add(Segment.of(turn.get("speaker").asText(), turn.get("content").asText()));
                }
                String id = f.getFileName().toString().replaceFirst("\\.json$", "");
                out.add(new QmSumMeeting(id, new Transcript("qmsum", segments),
                        root.get("general_query_list").get(0).get("answer").asText()));
            }
        }
        return out;
    }

    /** The Ethereum notes: the {@code **Name** - text} turns, and the gold table rows above them. */
    record EthereumNotes(Transcript transcript, List<String> goldDecisions, List<String> goldActions) {
    }

    static EthereumNotes ethereum(Path corpus) throws IOException {
        List<String> lines = Files.readAllLines(corpus.resolve("txt/ethereum-pm__AllCoreDevs-EL-meeting-100.md"), StandardCharsets.UTF_8);
        List<Segment> segments = new ArrayList<>();
        List<String> decisions = new ArrayList<>();
        List<String> actions = new ArrayList<>();
        List<String> currentTable = null;
        for (String line : lines) {
            if (line.startsWith("## Decisions Made")) currentTable = decisions;
            else if (line.startsWith("## Actions Required")) currentTable = actions;
            else if (line.startsWith("## ")) currentTable = null;
            Matcher row = TABLE_ROW.matcher(line);
            if (currentTable != null && row.matches()) currentTable.add(row.group(1));
            Matcher turn = TURN.matcher(line);
            if (turn.matches()) segments.add(Segment.of(turn.group(1).strip(), turn.group(2).strip()));
        }
        return new EthereumNotes(new Transcript("md", segments), decisions, actions);
    }
}
