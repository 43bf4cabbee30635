package io.minutes.store.postgres;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class PostgresUrlTest {

    @Test
    void aPostgresqlUrlBecomesAJdbcUrlWithItsUserAndPassword() {
        PostgresUrl url = PostgresUrl.parse("postgresql://minutes:s%40cret@db.internal:5433/queue?sslmode=require");

        assertThat(url.jdbcUrl()).isEqualTo("jdbc:postgresql://db.internal:5433/queue?sslmode=require");
        assertThat(url.user()).isEqualTo("minutes");
        assertThat(url.password()).isEqualTo("s@cret");
        assertThat(url).hasToString("postgresql://minutes:***@db.internal:5433/queue");
    }

    @Test
    void theShortSchemeAndADefaultPortAreAccepted() {
        PostgresUrl url = PostgresUrl.parse("postgres://localhost/minutes");

        assertThat(url.jdbcUrl()).isEqualTo("jdbc:postgresql://localhost/minutes");
        assertThat(url.user()).isNull();
    }

    @Test
    void aJdbcUrlIsKeptAsGivenAndShownWithoutItsPassword() {
        PostgresUrl url = PostgresUrl.parse("jdbc:postgresql://127.0.0.1:5432/test?user=postgres&password=hunter2");

        assertThat(url.jdbcUrl()).isEqualTo("jdbc:postgresql://127.0.0.1:5432/test?user=postgres&password=hunter2");
        assertThat(url.toString()).doesNotContain("hunter2").contains("password=***");
    }

    @Test
    void whatIsMissingIsNamed() {
        assertThatThrownBy(() -> PostgresUrl.parse("postgresql://db.internal:5432"))
                .hasMessageContaining("names no database");
        assertThatThrownBy(() -> PostgresUrl.parse("postgresql:///minutes"))
                .hasMessageContaining("names no host");
        assertThat(PostgresUrl.looksLikePostgres("./minutes-data/minutes.db")).isFalse();
        assertThat(PostgresUrl.looksLikePostgres("JDBC:PostgreSQL://h/db")).isTrue();
    }
}
