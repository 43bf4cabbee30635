package io.minutes.store.sqlite;

import io.minutes.core.engine.InProcessStoreEvents;
import io.minutes.store.jdbc.NamedSql;
import io.minutes.store.jdbc.SqlFiles;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.util.ArrayList;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * How SQLite runs the claim, read from its query plan: the cost of a claim must not grow with the queue.
 * SQLite's planner has no statistics, so the plan on an empty store is the plan on a 100,000-meeting one.
 */
class SqliteClaimPlanTest {

    @TempDir
    Path dir;

    @Test
    void aClaimReadsTheHeadOfEachBatchsQueueNotEveryDueMeetingSorted() throws Exception {
        Path file = dir.resolve("minutes.db");
        SqliteMeetingStore.open(file, new InProcessStoreEvents()).close(); // migrated
        NamedSql claimable = new SqlFiles("sqlite").get("meetings_claimable");
        List<String> plan = new ArrayList<>();
        try (Connection c = DriverManager.getConnection("jdbc:sqlite:" + file);
             PreparedStatement explain = c.prepareStatement("EXPLAIN QUERY PLAN " + claimable.jdbcSql())) {
            for (int i = 1; i <= claimable.parameterNames().size(); i++) explain.setLong(i, 1);
            try (ResultSet rs = explain.executeQuery()) {
                while (rs.next()) plan.add(rs.getString("detail"));
            }
        }
        // meetings_due (state, not_before) read every due queued meeting and sorted them by input order:
        // 48 ms a claim with 100,000 queued, and the batch ran at a fifth of its speed until its queue shrank
        assertThat(plan).as("the claim's query plan").contains("SEARCH q USING INDEX meetings_queue (state=? AND batch_id=? AND lane=?)")
                .noneMatch(step -> step.contains("meetings_due"));
    }
}
