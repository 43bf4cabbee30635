package io.minutes.store.jdbc;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class NamedSqlTest {

    @Test
    void namedParametersBecomePlaceholdersInOrder() {
        NamedSql sql = NamedSql.parse("q", "UPDATE t SET a = :a, b = :b WHERE id = :id AND a <> :a");

        assertThat(sql.jdbcSql()).isEqualTo("UPDATE t SET a = ?, b = ? WHERE id = ? AND a <> ?");
        assertThat(sql.parameterNames()).containsExactly("a", "b", "id", "a");
    }

    @Test
    void commentsQuotesAndCastsAreNotParameters() {
        NamedSql sql = NamedSql.parse("q", """
                -- note: :not_a_parameter in a comment
                SELECT ':also_not' AS s, x::text FROM t WHERE y = :y -- trailing :comment
                """);

        assertThat(sql.parameterNames()).containsExactly("y");
        assertThat(sql.jdbcSql()).isEqualTo("SELECT ':also_not' AS s, x::text FROM t WHERE y = ?");
    }

    @Test
    void aMissingValueNamesTheQueryAndTheParameter() {
        assertThatThrownBy(() -> SqlParams.of("a", 1).get("meeting_claim", "owner"))
                .hasMessageContaining("meeting_claim").hasMessageContaining(":owner");
    }

    @Test
    void everySqliteQueryFileLoads() {
        SqlFiles files = new SqlFiles("sqlite");
        // each batch's realtime queue, then its flex queue, then the claim's own limit
        assertThat(files.get("meetings_claimable").parameterNames()).containsExactly("now", "limit", "now", "limit", "limit");
        assertThatThrownBy(() -> files.get("no_such_query")).hasMessageContaining("sql/sqlite/no_such_query.sql");
    }
}
