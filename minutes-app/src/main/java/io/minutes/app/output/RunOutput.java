package io.minutes.app.output;

import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.minutes.core.domain.Analysis;
import io.minutes.core.domain.Batch;
import io.minutes.core.domain.BatchStatus;
import io.minutes.core.domain.Budget;
import io.minutes.core.domain.Meeting;
import io.minutes.core.domain.MeetingState;
import io.minutes.core.domain.Receipt;
import io.minutes.core.port.BatchStore;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Set;

/**
 * The files of a run in its output folder: {@code <name>.json} and {@code <name>.md} for each
 * completed meeting, and {@code batch.json}. Names come from the input file names in input order;
 * clashes get {@code -2}, {@code -3}. Files are written to a temporary name and moved into place,
 * so a crash never leaves half a file.
 */
public final class RunOutput {
    private final Path dir;
    private final List<List<String>> warnings;

    /**
     * @param warnings what reading each input warned about (a windows-1252 fallback...), by meeting index: written
     *                 into its minutes (.md and .json) and its batch.json item
     */
    public RunOutput(Path dir, List<List<String>> warnings) {
        this.dir = dir;
        this.warnings = List.copyOf(warnings);
    }

    private List<String> warningsOf(Meeting m) {
        return m.index() >= 0 && m.index() < warnings.size() ? warnings.get(m.index()) : List.of();
    }

    /**
     * Why the minutes could not be written into {@code dir}, or empty when they can: it is made if missing and a
     * file is written and deleted in it. Checked before a batch is stored or anything is sent.
     */
    public static java.util.Optional<String> unwritable(Path dir) {
        if (Files.exists(dir) && !Files.isDirectory(dir)) {
            return java.util.Optional.of(dir + " is a file, not a folder: give --out a folder (it is made if missing)");
        }
        try {
            Files.createDirectories(dir);
            Files.delete(Files.createTempFile(dir, ".minutes-write-check", ".tmp"));
            return java.util.Optional.empty();
        } catch (IOException | SecurityException e) {
            String why = e instanceof java.nio.file.FileSystemException f && f.getReason() != null ? f.getReason()
                    : e.getClass().getSimpleName().replace("Exception", "").replaceAll("([a-z])([A-Z])", "$1 $2").toLowerCase(Locale.ROOT);
            return java.util.Optional.of("cannot write into " + dir + " (" + why + "): give --out a folder you can write to");
        }
    }

    /** Output base names for the meetings, in input order. */
    public static List<String> baseNames(List<Meeting> meetings) {
        Set<String> taken = new HashSet<>(Set.of("batch"));
        List<String> names = new ArrayList<>();
        for (Meeting m : meetings) {
            String base = stem(m.source());
            String name = base;
            for (int n = 2; !taken.add(name.toLowerCase(Locale.ROOT)); n++) name = base + "-" + n;
            names.add(name);
        }
        return names;
    }

    /** What {@link #write} wrote: batch.json, and the batch's status as it says it. */
    public record Written(Path batchJson, String status) {
    }

    /** Meetings read from the store a page at a time, so a batch's files are written in constant memory. */
    private static final int PAGE = 500;

    /**
     * Writes every completed meeting's minutes and batch.json, streaming: the batch's meetings are read
     * a page at a time ({@link BatchStore#meetingsPage}) and batch.json is written item by item, so
     * memory does not grow with the batch (100,000 meetings at -Xmx256m). A first, light pass over the
     * meetings (no analyses) gives the output names, which depend on every name before them, and the
     * count of meetings the budget stopped, which batch.json gives before its items.
     */
    public Written write(Batch batch, BatchStore store, double wallSeconds) throws IOException {
        Files.createDirectories(dir);
        List<Meeting> brief = store.meetingsBrief(batch.id());
        List<String> names = baseNames(brief);
        long overBudget = brief.stream().filter(m -> m.state() == MeetingState.SKIPPED && Budget.refused(m.skipReason())).count();
        Receipt receipt = Receipt.of(brief);
        brief = null; // the pages below are read one at a time
        Path target = dir.resolve("batch.json");
        Path tmp = target.resolveSibling("batch.json.tmp");
        String status;
        try {
            status = writeBatchJson(batch, store, wallSeconds, names, overBudget, receipt, tmp);
            Files.move(tmp, target, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
        } catch (IOException | RuntimeException e) { // a full disk leaves no half-written batch.json behind
            Files.deleteIfExists(tmp);
            throw e;
        }
        return new Written(target, status);
    }

    /** Writes batch.json into {@code tmp}, each meeting's files beside it; returns the batch's status. */
    private String writeBatchJson(Batch batch, BatchStore store, double wallSeconds, List<String> names, long overBudget,
                                  Receipt receipt, Path tmp) throws IOException {
        String status;
        try (JsonGenerator json = Json.MAPPER.writer().createGenerator(Files.newBufferedWriter(tmp, StandardCharsets.UTF_8))) {
            ObjectNode head = batchHead(batch, overBudget, wallSeconds, receipt);
            // when it had to be done by, as the API's status says it (its cut-over is moot once it has finished)
            store.batchDeadline(batch.id()).ifPresent(d -> head.put("deadline", d.deadline().toString()));
            status = head.path("status").asText();
            json.writeStartObject();
            for (var field : head.properties()) {
                json.writeFieldName(field.getKey());
                json.writeTree(field.getValue());
            }
            json.writeArrayFieldStart("items");
            int after = -1;
            int position = 0;
            long unsupported = 0;
            for (List<Meeting> page; !(page = store.meetingsPage(new BatchStore.MeetingsPageParams(batch.id(), after, PAGE))).isEmpty(); ) {
                for (Meeting m : page) {
                    String name = names.get(position++);
                    List<String> read = warningsOf(m);
                    if (hasMinutes(m)) {
                        unsupported += m.analysis().unsupportedItems();
                        ObjectNode minutes = minutesJson(m);
                        minutes.set("warnings", Json.MAPPER.valueToTree(allWarnings(read, m)));
                        writeAtomically(dir.resolve(name + ".json"), Json.MAPPER.writeValueAsString(minutes) + "\n");
                        writeAtomically(dir.resolve(name + ".md"), MarkdownMinutes.render(m, read));
                    }
                    ObjectNode item = item(m, name);
                    List<String> warned = hasMinutes(m) ? allWarnings(read, m) : read;
                    if (!warned.isEmpty()) item.set("warnings", Json.MAPPER.valueToTree(warned));
                    json.writeTree(item);
                }
                after = page.getLast().index();
            }
            json.writeEndArray();
            // items whose evidence was not found, over the whole batch (dropped or marked, per unsupported-items)
            json.writeNumberField("unsupported_items", unsupported);
            json.writeEndObject();
            json.writeRaw('\n');
        }
        return status;
    }

    /** What reading the source warned about, then what the checks of the answer found. */
    private static List<String> allWarnings(List<String> read, Meeting m) {
        if (m.analysis().warnings().isEmpty()) return read;
        List<String> all = new java.util.ArrayList<>(read);
        all.addAll(m.analysis().warnings());
        return all;
    }

    /** A completed meeting, or a duplicate showing the result of the meeting it points to. */
    private static boolean hasMinutes(Meeting m) {
        return m.analysis() != null && (m.state() == MeetingState.COMPLETED || m.duplicateOf() != null);
    }

    private static ObjectNode minutesJson(Meeting m) {
        Analysis a = m.analysis();
        ObjectNode node = Json.MAPPER.valueToTree(a);
        if (a.redactions() == null) node.remove("redactions"); // present only when something was masked
        node.put("source", m.source());
        putDate(node, m);
        node.put("meeting_id", m.id());
        if (m.duplicateOf() != null) {
            node.put("duplicate_of", m.duplicateOf());
            node.put("note", "not processed: " + m.skipReason());
        }
        return node;
    }

    /** The day the meeting took place, when known (given, from its file's metadata or its name): due dates count from it. */
    private static void putDate(ObjectNode node, Meeting m) {
        if (m.meetingDate() != null) node.put("date", m.meetingDate().toString());
    }

    /** batch.json without its items. */
    static ObjectNode batchHead(Batch batch, long overBudget, double wallSeconds, Receipt receipt) {
        ObjectNode root = Json.MAPPER.createObjectNode();
        root.put("batch_id", batch.id());
        // the budget stopped the batch: its status says so rather than "completed"
        root.put("status", BatchStatus.of(batch.counts(), overBudget).wireName());
        if (overBudget > 0) root.put(Budget.EXHAUSTED, overBudget);
        root.put("provider", batch.provider());
        root.put("total", batch.counts().total());
        root.put("completed", batch.counts().completed());
        root.put("failed", batch.counts().failed());
        root.put("skipped", batch.counts().skipped());
        if (batch.counts().cancelled() > 0) root.put("cancelled", batch.counts().cancelled());
        int unfinished = batch.counts().queued() + batch.counts().running() + batch.counts().waiting();
        if (unfinished > 0) root.put("unfinished", unfinished);
        root.put("wall_seconds", Math.round(wallSeconds * 100) / 100.0);
        ObjectNode tokens = root.putObject("tokens");
        tokens.put("input", batch.usage().inputTokens());
        tokens.put("output", batch.usage().outputTokens());
        root.put("cost_usd", batch.usage().costUsd());
        receipt(root.putObject("receipt"), receipt);
        return root;
    }

    /** The batch's receipt: its minutes at the list price, what was paid in the lanes they ran in, and the difference. */
    public static ObjectNode receipt(ObjectNode node, Receipt receipt) {
        node.put("list_usd", receipt.listUsd());
        node.put("paid_usd", receipt.paidUsd());
        node.put("saved_usd", receipt.savedUsd());
        return node;
    }

    /** One meeting's entry in batch.json's items. */
    static ObjectNode item(Meeting m, String name) {
        ObjectNode item = Json.MAPPER.createObjectNode();
        item.put("index", m.index());
        item.put("source", m.source());
        item.put("title", m.title());
        putDate(item, m);
        item.put("status", m.state().wireName());
        // the lane that produced its minutes; until then the lane it is planned for
        item.put("lane", (m.ranLane() != null ? m.ranLane() : m.lane()).wireName());
        switch (m.state()) {
            case COMPLETED -> {
                item.put("attempts", m.attemptCount());
                item.put("output", name + ".json");
                if (m.analysis() != null) item.put("unsupported_items", m.analysis().unsupportedItems());
                if (m.usage() != null) {
                    ObjectNode itemTokens = item.putObject("tokens");
                    itemTokens.put("input", m.usage().inputTokens());
                    itemTokens.put("output", m.usage().outputTokens());
                    item.put("cost_usd", m.usage().costUsd());
                }
            }
            case SKIPPED -> {
                item.put("reason", m.skipReason());
                if (m.duplicateOf() != null) item.put("duplicate_of", m.duplicateOf());
                if (hasMinutes(m)) item.put("output", name + ".json");
            }
            default -> item.put("attempts", m.attemptCount());
        }
        if (m.replacedBy() != null) item.put("replaced_by", m.replacedBy());
        if (m.transcription() != null) {
            ObjectNode heard = item.putObject("transcription");
            heard.put("audio_seconds", m.transcription().audioSeconds());
            heard.put("cost_usd", m.transcription().costUsd());
        }
        if (m.lastFailure() != null && m.state() != MeetingState.COMPLETED) {
            ObjectNode error = item.putObject("error");
            error.put("kind", m.lastFailure().kind().wireName());
            error.put("message", m.lastFailure().message());
        }
        if (!m.attempts().isEmpty()) {
            ArrayNode attempts = item.putArray("attempt_log");
            m.attempts().forEach(a -> {
                ObjectNode node = attempts.addObject();
                node.put("attempt", a.number());
                node.put("started_at", a.startedAt().toString());
                if (a.finishedAt() != null) node.put("finished_at", a.finishedAt().toString());
                node.put("outcome", a.failure() == null ? (a.finishedAt() == null ? "running" : "completed")
                        : a.failure().kind().wireName());
                if (a.failure() != null) node.put("message", a.failure().message());
            });
        }
        return item;
    }

    private static String stem(String source) {
        String name = Path.of(source).getFileName().toString();
        int dot = name.lastIndexOf('.');
        // every known extension goes (GMT..._Recording.transcript.vtt is GMT..._Recording), an unknown last one too
        String stem = io.minutes.core.ingest.Titles.stem(dot > 0 ? name.substring(0, dot) : name);
        return stem.isBlank() ? "meeting" : stem;
    }

    private static void writeAtomically(Path target, String content) throws IOException {
        Path tmp = target.resolveSibling(target.getFileName() + ".tmp");
        try {
            Files.writeString(tmp, content, StandardCharsets.UTF_8);
            Files.move(tmp, target, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
        } catch (IOException e) { // a full disk leaves no half-written file behind
            Files.deleteIfExists(tmp);
            throw e;
        }
    }
}
