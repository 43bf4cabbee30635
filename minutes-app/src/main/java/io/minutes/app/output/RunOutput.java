package io.minutes.app.output;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.minutes.core.domain.Analysis;
import io.minutes.core.domain.Batch;
import io.minutes.core.domain.BatchStatus;
import io.minutes.core.domain.Budget;
import io.minutes.core.domain.Meeting;
import io.minutes.core.domain.MeetingState;

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

    public RunOutput(Path dir) {
        this.dir = dir;
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

    /** Writes every completed meeting's minutes and batch.json; returns the batch.json tree. */
    public ObjectNode write(Batch batch, List<Meeting> meetings, double wallSeconds) throws IOException {
        Files.createDirectories(dir);
        List<String> names = baseNames(meetings);
        for (int i = 0; i < meetings.size(); i++) {
            Meeting m = meetings.get(i);
            if (!hasMinutes(m)) continue;
            writeAtomically(dir.resolve(names.get(i) + ".json"), Json.MAPPER.writeValueAsString(minutesJson(m)) + "\n");
            writeAtomically(dir.resolve(names.get(i) + ".md"), MarkdownMinutes.render(m.analysis(), m.source()));
        }
        ObjectNode report = batchJson(batch, meetings, names, wallSeconds);
        writeAtomically(dir.resolve("batch.json"), Json.MAPPER.writeValueAsString(report) + "\n");
        return report;
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
        node.put("meeting_id", m.id());
        return node;
    }

    static ObjectNode batchJson(Batch batch, List<Meeting> meetings, List<String> names, double wallSeconds) {
        ObjectNode root = Json.MAPPER.createObjectNode();
        root.put("batch_id", batch.id());
        long overBudget = meetings.stream().filter(m -> m.state() == MeetingState.SKIPPED && Budget.refused(m.skipReason())).count();
        // the budget stopped the batch: its status says so rather than "completed"
        root.put("status", BatchStatus.of(batch.counts(), overBudget).wireName());
        if (overBudget > 0) root.put(Budget.EXHAUSTED, overBudget);
        root.put("provider", batch.provider());
        root.put("total", batch.counts().total());
        root.put("completed", batch.counts().completed());
        root.put("failed", batch.counts().failed());
        root.put("skipped", batch.counts().skipped());
        if (batch.counts().cancelled() > 0) root.put("cancelled", batch.counts().cancelled());
        int unfinished = batch.counts().queued() + batch.counts().running();
        if (unfinished > 0) root.put("unfinished", unfinished);
        root.put("wall_seconds", Math.round(wallSeconds * 100) / 100.0);
        ObjectNode tokens = root.putObject("tokens");
        tokens.put("input", batch.usage().inputTokens());
        tokens.put("output", batch.usage().outputTokens());
        root.put("cost_usd", batch.usage().costUsd());
        ArrayNode items = root.putArray("items");
        for (int i = 0; i < meetings.size(); i++) {
            Meeting m = meetings.get(i);
            ObjectNode item = items.addObject();
            item.put("index", m.index());
            item.put("source", m.source());
            item.put("title", m.title());
            item.put("status", m.state().wireName());
            switch (m.state()) {
                case COMPLETED -> {
                    item.put("attempts", m.attemptCount());
                    item.put("output", names.get(i) + ".json");
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
                    if (hasMinutes(m)) item.put("output", names.get(i) + ".json");
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
        }
        return root;
    }

    private static String stem(String source) {
        String name = Path.of(source).getFileName().toString();
        int dot = name.lastIndexOf('.');
        String stem = dot > 0 ? name.substring(0, dot) : name;
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
