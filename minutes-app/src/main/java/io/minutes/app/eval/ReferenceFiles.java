package io.minutes.app.eval;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.minutes.core.domain.Segment;
import io.minutes.core.domain.Transcript;
import io.minutes.core.eval.Reference;
import io.minutes.core.ingest.IngestResult;
import io.minutes.core.ingest.Ingestor;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;

/**
 * Reads reference minutes for {@code minutes eval}. Four kinds are recognised by their content:
 * <ul>
 *   <li>a team's own reference, a JSON object with {@code transcript} (a path relative to the file), and any of
 *   {@code summary}, {@code action_items} ({@code [{description, owner}]}) and {@code decisions} ({@code [text]});</li>
 *   <li>a QMSum meeting (JSON with {@code meeting_transcripts} and {@code general_query_list}: the first answer is
 *   the reference summary);</li>
 *   <li>an Ethereum ACDbot {@code tldr.json} ({@code action_items[{action, owner}]}, {@code decisions[{decision}]}),
 *   whose transcript is the {@code __transcript.vtt} of the same call beside it or in {@code ../vtt/};</li>
 *   <li>Ethereum All Core Devs notes in Markdown: the "Decisions Made" / "Actions Required" tables, and the
 *   {@code **Name** - text} turns as the transcript.</li>
 * </ul>
 * A file named on the command line that is none of these is an error; in a folder such files are counted as
 * skipped, never dropped silently.
 */
public final class ReferenceFiles {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final Pattern TURN = Pattern.compile("^\\*\\*([^*]+)\\*\\*\\s*-\\s*(.*)$");
    private static final Pattern TABLE_ROW = Pattern.compile("^\\|\\s*\\*\\*[0-9.]+\\*\\*\\s*\\|\\s*(.*?)\\s*\\|\\s*$");
    /** "James is going to update ...", "Micah to update ...": the owner a note names at its start. */
    private static final Pattern NOTE_OWNER = Pattern.compile("^(?<name>[A-Z][a-z]+)\\s+(?:is going to|will|to)\\s");
    private static final String TLDR_CAVEAT = "made by the ethereum/pm ACDbot, probably by a model: not a human gold standard";

    /** What was read: the references, and the files under folders that were not references. */
    public record Read(List<Reference> references, List<Path> skipped) {
    }

    /** A file that should hold a reference and does not, or whose transcript cannot be read; the message says why. */
    public static final class BadReference extends Exception {
        public BadReference(String message) {
            super(message);
        }
    }

    private final Ingestor ingestor;

    public ReferenceFiles(Ingestor ingestor) {
        this.ingestor = ingestor;
    }

    public Read read(List<Path> paths) throws IOException, BadReference {
        List<Reference> references = new ArrayList<>();
        List<Path> skipped = new ArrayList<>();
        for (Path path : paths) {
            if (Files.isDirectory(path)) {
                List<Path> files;
                try (Stream<Path> walk = Files.walk(path)) {
                    files = walk.filter(Files::isRegularFile).sorted().toList();
                }
                for (Path f : files) {
                    Optional<Reference> ref = reference(f);
                    if (ref.isPresent()) references.add(ref.get());
                    else skipped.add(f);
                }
            } else if (Files.isRegularFile(path)) {
                references.add(reference(path).orElseThrow(() -> new BadReference(path + ": not a reference file; "
                        + "expected a JSON object with \"transcript\" and \"summary\", \"action_items\" or \"decisions\" "
                        + "(see the README, `minutes eval`), a QMSum meeting, an ACDbot tldr.json or All Core Devs notes")));
            } else {
                throw new BadReference(path + ": no such file or folder");
            }
        }
        return new Read(references, skipped);
    }

    /** The reference in {@code file}, or empty when the file is not one of the recognised kinds. */
    Optional<Reference> reference(Path file) throws IOException, BadReference {
        String name = file.getFileName().toString();
        if (name.endsWith(".md")) return notes(file);
        if (!name.endsWith(".json")) return Optional.empty();
        JsonNode root;
        try {
            root = JSON.readTree(file.toFile());
        } catch (JsonProcessingException e) {
            return Optional.empty();
        }
        if (root == null || !root.isObject()) return Optional.empty();
        if (root.path("transcript").isTextual()) return Optional.of(team(file, root));
        if (root.has("meeting_transcripts") && root.has("general_query_list")) return Optional.of(qmsum(file, root));
        if (root.path("action_items").isArray() && root.path("decisions").isArray() && root.has("meeting")) {
            return Optional.of(tldr(file, root));
        }
        return Optional.empty();
    }

    private Reference team(Path file, JsonNode root) throws IOException, BadReference {
        Path transcriptPath = file.toAbsolutePath().getParent().resolve(root.get("transcript").asText());
        if (!Files.isRegularFile(transcriptPath)) {
            throw new BadReference(file + ": \"transcript\": " + transcriptPath + " does not exist (the path is relative to the reference file)");
        }
        List<Reference.Item> actions = null;
        if (root.has("action_items")) {
            actions = new ArrayList<>();
            int i = 0;
            for (JsonNode item : array(file, root, "action_items")) {
                String description = item.isTextual() ? item.asText() : item.path("description").asText(null);
                if (description == null || description.isBlank()) {
                    throw new BadReference(file + ": \"action_items\"[" + i + "]: needs a \"description\" (text)");
                }
                String owner = item.path("owner").isTextual() ? item.get("owner").asText() : null;
                actions.add(new Reference.Item(description, owner));
                i++;
            }
        }
        List<String> decisions = null;
        if (root.has("decisions")) {
            decisions = new ArrayList<>();
            int i = 0;
            for (JsonNode d : array(file, root, "decisions")) {
                String text = d.isTextual() ? d.asText() : d.path("text").asText(null);
                if (text == null || text.isBlank()) throw new BadReference(file + ": \"decisions\"[" + i + "]: needs text");
                decisions.add(text);
                i++;
            }
        }
        String summary = root.path("summary").isTextual() ? root.get("summary").asText() : null;
        if (summary == null && actions == null && decisions == null) {
            throw new BadReference(file + ": nothing to measure against; give \"summary\", \"action_items\" or \"decisions\"");
        }
        return new Reference(stem(file), file + " (team reference)", null, transcript(transcriptPath), summary, actions, decisions);
    }

    private static JsonNode array(Path file, JsonNode root, String field) throws BadReference {
        JsonNode node = root.get(field);
        if (!node.isArray()) throw new BadReference(file + ": \"" + field + "\" must be a list");
        return node;
    }

    private static Reference qmsum(Path file, JsonNode root) {
        List<Segment> segments = new ArrayList<>();
        for (JsonNode turn : root.get("meeting_transcripts")) {
            segments.add(Segment.of(turn.path("speaker").asText(null), turn.path("content").asText("")));
        }
        String summary = root.path("general_query_list").path(0).path("answer").asText(null);
        return new Reference(stem(file), file + " (QMSum: general_query_list[0].answer)", null,
                new Transcript("qmsum", segments), summary, null, null);
    }

    private Reference tldr(Path file, JsonNode root) throws IOException, BadReference {
        String call = stem(file).replaceFirst("__tldr$", "");
        Path dir = file.toAbsolutePath().getParent();
        Path transcript = Stream.of(dir.resolve(call + "__transcript.vtt"), dir.resolveSibling("vtt").resolve(call + "__transcript.vtt"))
                .filter(Files::isRegularFile).findFirst()
                .orElseThrow(() -> new BadReference(file + ": an ACDbot tldr.json needs its transcript, " + call
                        + "__transcript.vtt, beside it or in ../vtt/"));
        List<Reference.Item> actions = new ArrayList<>();
        for (JsonNode a : root.get("action_items")) {
            actions.add(new Reference.Item(a.path("action").asText(""), a.path("owner").isTextual() ? a.get("owner").asText() : null));
        }
        List<String> decisions = new ArrayList<>();
        for (JsonNode d : root.get("decisions")) decisions.add(d.isTextual() ? d.asText() : d.path("decision").asText(""));
        return new Reference(call, file + " (ACDbot tldr.json)", TLDR_CAVEAT, transcript(transcript), null, actions, decisions);
    }

    private static Optional<Reference> notes(Path file) throws IOException {
        List<String> lines = Files.readAllLines(file, StandardCharsets.UTF_8);
        if (lines.stream().noneMatch(l -> l.startsWith("## Decisions Made") || l.startsWith("## Actions Required"))) {
            return Optional.empty();
        }
        List<Segment> segments = new ArrayList<>();
        List<String> decisions = new ArrayList<>();
        List<Reference.Item> actions = new ArrayList<>();
        String table = null;
        for (String line : lines) {
            if (line.startsWith("## Decisions Made")) table = "decisions";
            else if (line.startsWith("## Actions Required")) table = "actions";
            else if (line.startsWith("## ")) table = null;
            Matcher row = TABLE_ROW.matcher(line);
            if (table != null && row.matches()) {
                if (table.equals("decisions")) decisions.add(row.group(1));
                else actions.add(new Reference.Item(row.group(1), ownerNamedIn(row.group(1))));
            }
            Matcher turn = TURN.matcher(line);
            if (turn.matches()) segments.add(Segment.of(turn.group(1).strip(), turn.group(2).strip()));
        }
        return Optional.of(new Reference(stem(file), file + " (notes: \"Decisions Made\" / \"Actions Required\" tables)", null,
                new Transcript("md", segments), null, actions, decisions));
    }

    private static String ownerNamedIn(String note) {
        Matcher m = NOTE_OWNER.matcher(note);
        return m.find() ? m.group("name") : null;
    }

    private Transcript transcript(Path path) throws IOException, BadReference {
        IngestResult result = ingestor.ingest(path.getFileName().toString(), Files.readAllBytes(path));
        if (result instanceof IngestResult.Ready ready) return ready.transcript();
        String why = result instanceof IngestResult.Unreadable u ? u.message()
                : result instanceof IngestResult.Skipped s ? s.reason() : "a recording; eval needs a transcript";
        throw new BadReference(path + ": " + why);
    }

    private static String stem(Path file) {
        return file.getFileName().toString().replaceFirst("\\.(json|md)$", "");
    }
}
