package io.minutes.store.sqlite;

import io.minutes.core.domain.ActionItem;
import io.minutes.core.domain.Analysis;
import io.minutes.core.domain.ClaimedMeeting;
import io.minutes.core.domain.Finding;
import io.minutes.core.domain.Segment;
import io.minutes.core.domain.Transcript;
import io.minutes.core.domain.Usage;
import io.minutes.core.engine.InProcessStoreEvents;
import io.minutes.core.port.BatchStore.NewMeeting;
import io.minutes.core.port.MeetingQueue.ClaimParams;
import io.minutes.core.port.MeetingQueue.FinishParams;
import io.minutes.core.port.MeetingQueue.Outcome;
import io.minutes.store.JsonCodec;
import io.minutes.store.TestBatches;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.sqlite.SQLiteDataSource;

import java.nio.file.Path;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.tuple;

/** Minutes stored before evidence existed (decisions as strings, items without evidence) still read. */
class AnalysesStoredBeforeEvidenceTest {
    private static final Instant T0 = Instant.parse("2025-03-01T09:00:00Z");
    /** Exactly what the store wrote for an analysis before decisions and open questions became findings. */
    private static final String OLD_ROW = """
            {"title":"Launch","summary":"We moved the launch.","actionItems":[{"description":"Send the plan","owner":"Bob",\
            "due":"Friday"}],"decisions":["Move the launch to March."],"openQuestions":["Who pays?"],"topics":["launch"],\
            "participants":[{"name":"Bob","words":12,"talkSeconds":null}],"redactions":null}""";

    @TempDir
    Path dir;

    @Test
    void aMeetingCompletedBeforeEvidenceReadsWithFindingsWithoutEvidenceAllSupported() throws Exception {
        Path file = dir.resolve("minutes.db");
        String meetingId;
        try (SqliteMeetingStore store = SqliteMeetingStore.open(file, new InProcessStoreEvents())) {
            store.batchCreate(TestBatches.batch("run", "sim", T0, List.of(NewMeeting.ready("a.txt", "a", "sha256:a",
                    new Transcript("txt", List.of(Segment.of("Bob", "I'll send the plan by Friday.")))))));
            ClaimedMeeting claimed = store.meetingsClaim(new ClaimParams("n", 1, T0, Duration.ofSeconds(30))).getFirst();
            meetingId = claimed.id();
            store.meetingFinish(new FinishParams(meetingId, "n", claimed.attempt(),
                    Outcome.completed(new Analysis("x", "y", List.of(), List.of(), List.of(), List.of(), List.of()), Usage.NONE), T0));
        }
        SQLiteDataSource dataSource = new SQLiteDataSource();
        dataSource.setUrl("jdbc:sqlite:" + file);
        try (Connection c = dataSource.getConnection();
             PreparedStatement update = c.prepareStatement("UPDATE meetings SET analysis_json = ? WHERE id = ?")) {
            update.setString(1, OLD_ROW);
            update.setString(2, meetingId);
            assertThat(update.executeUpdate()).isEqualTo(1);
        }

        try (SqliteMeetingStore store = SqliteMeetingStore.open(file, new InProcessStoreEvents())) {
            Analysis read = store.meetingGet(meetingId).orElseThrow().meeting().analysis();

            assertThat(read.decisions()).containsExactly(new Finding("Move the launch to March.", null, true));
            assertThat(read.openQuestions()).containsExactly(new Finding("Who pays?", null, true));
            assertThat(read.actionItems()).extracting(ActionItem::description, ActionItem::owner, ActionItem::due,
                    ActionItem::dueDate, ActionItem::evidence, ActionItem::supported)
                    .containsExactly(tuple("Send the plan", "Bob", "Friday", null, null, true));
            assertThat(read.coverage()).isEmpty();
            assertThat(read.unsupportedItems()).isZero();
        }
    }

    @Test
    void anAnalysisWithEvidenceAndADueDateSurvivesTheRoundTrip() {
        Analysis a = new Analysis("t", "s",
                List.of(new ActionItem("Send the plan", "Bob", "by Friday", LocalDate.of(2026, 11, 20),
                        new io.minutes.core.domain.Evidence(3, 12.5, "Bob", "I'll send the plan by Friday"), false)),
                List.of(new Finding("Go", new io.minutes.core.domain.Evidence(1, null, null, "let's go"), true)),
                List.of(), List.of(), List.of())
                .withLanguage("en").withTemplate("general")
                .withCoverage(List.of(new io.minutes.core.domain.PartCoverage(1, 2, 1, 1, 0)))
                .withUnsupported(1, "1 item's evidence was not found in the transcript");

        assertThat(JsonCodec.analysisFromJson(JsonCodec.analysisToJson(a))).isEqualTo(a);
    }
}
