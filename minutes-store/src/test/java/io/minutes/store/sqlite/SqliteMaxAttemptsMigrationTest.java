package io.minutes.store.sqlite;

import io.minutes.core.domain.ClaimedMeeting;
import io.minutes.core.domain.Segment;
import io.minutes.core.domain.Transcript;
import io.minutes.core.port.MeetingQueue.ClaimParams;
import io.minutes.store.JsonCodec;
import org.flywaydb.core.Flyway;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.sqlite.SQLiteDataSource;

import java.nio.file.Path;
import java.sql.Connection;
import java.sql.Statement;
import java.time.Duration;
import java.time.Instant;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.tuple;

/** V013 keeps a meeting's max attempts on its row: meetings stored before it get their batch's. */
class SqliteMaxAttemptsMigrationTest {
    private static final Instant T0 = Instant.parse("2025-03-01T09:00:00Z");

    @TempDir
    Path dir;

    @Test
    void meetingsStoredBeforeV013AreClaimedWithTheirSubmissionsMaxAttempts() throws Exception {
        Path file = dir.resolve("minutes.db");
        SQLiteDataSource dataSource = new SQLiteDataSource();
        dataSource.setUrl("jdbc:sqlite:" + file);
        Flyway.configure().dataSource(dataSource).locations("classpath:db/migration/sqlite").target("12").load().migrate();
        String transcript = JsonCodec.transcriptToJson(new Transcript("txt", List.of(Segment.of("Ann", "hello"))));
        try (Connection connection = dataSource.getConnection(); Statement statement = connection.createStatement()) {
            statement.executeUpdate("INSERT INTO batches (id, provider, submitted_at) VALUES ('batch_1', 'sim', 0), ('batch_2', 'sim', 1)");
            statement.executeUpdate("INSERT INTO submissions (batch_id, tenant, on_duplicate, priority, max_attempts) "
                    + "VALUES ('batch_1', 'acme', 'allow_duplicates', 'normal', 2)");
            for (String batch : List.of("batch_1", "batch_2")) {
                statement.executeUpdate("INSERT INTO meetings (id, batch_id, idx, source, state, not_before, transcript_json, "
                        + "created_at, updated_at) VALUES ('mtg_" + batch + "', '" + batch + "', 0, '" + batch + ".txt', "
                        + "'queued', 0, '" + transcript + "', 0, 0)");
                statement.executeUpdate("INSERT INTO batch_state_counts (batch_id, state, meetings, input_tokens, output_tokens, cost_usd) "
                        + "VALUES ('" + batch + "', 'queued', 1, 0, 0, 0.0)");
            }
        }

        try (SqliteMeetingStore store = SqliteMeetingStore.open(file, new io.minutes.core.engine.InProcessStoreEvents())) {
            List<ClaimedMeeting> claimed = store.meetingsClaim(new ClaimParams("node", 10, T0, Duration.ofSeconds(30)));

            assertThat(claimed).extracting(ClaimedMeeting::source, ClaimedMeeting::maxAttempts)
                    .containsExactlyInAnyOrder(tuple("batch_1.txt", 2), tuple("batch_2.txt", null));
        }
    }
}
