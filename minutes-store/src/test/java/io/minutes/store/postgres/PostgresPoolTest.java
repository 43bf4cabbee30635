package io.minutes.store.postgres;

import com.zaxxer.hikari.HikariDataSource;
import org.junit.jupiter.api.Test;

import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Duration;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * A node that runs the engine opens its whole pool while it starts: a batch's first meetings found two
 * connections and waited while the rest were opened one by one, which held up the start of every batch.
 * Counted on the server (pg_stat_activity), not as the pool believes it.
 */
class PostgresPoolTest {
    private static final int SIZE = 6;

    @Test
    void aFilledPoolOpensAllItsConnectionsBeforeAnyIsAskedFor() {
        try (TestPostgres.Schema schema = TestPostgres.newSchema()) {
            String application = "minutes-" + schema.name(); // this pool's connections, told apart from other tests'
            PostgresUrl url = PostgresUrl.parse(schema.jdbcUrl() + "&ApplicationName=" + application);
            try (PostgresDatabase database = PostgresDatabase.open(url, SIZE, true)) {
                await().atMost(Duration.ofSeconds(30)).untilAsserted(() -> assertThat(serverConnections(schema, application))
                        .as("connections of this pool on the server").isEqualTo(SIZE));
                assertThat(pool(database).getHikariPoolMXBean().getActiveConnections()).as("none was in use").isZero();
            }
        }
    }

    @Test
    void anUnfilledPoolKeepsTwoUntilItIsUsed() {
        try (TestPostgres.Schema schema = TestPostgres.newSchema();
             PostgresDatabase database = PostgresDatabase.open(schema.url(), SIZE)) {
            assertThat(pool(database).getMaximumPoolSize()).isEqualTo(SIZE);
            assertThat(pool(database).getMinimumIdle()).isEqualTo(2);
        }
    }

    private static HikariDataSource pool(PostgresDatabase database) {
        return (HikariDataSource) database.dataSource();
    }

    private static int serverConnections(TestPostgres.Schema schema, String application) throws SQLException {
        try (Connection c = DriverManager.getConnection(schema.jdbcUrl());
             PreparedStatement count = c.prepareStatement("SELECT COUNT(*) FROM pg_stat_activity WHERE application_name = ?")) {
            count.setString(1, application);
            try (ResultSet rs = count.executeQuery()) {
                rs.next();
                return rs.getInt(1);
            }
        }
    }
}
