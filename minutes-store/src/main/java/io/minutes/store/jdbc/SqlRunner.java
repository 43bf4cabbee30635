package io.minutes.store.jdbc;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.sql.Types;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * Runs named queries from {@link SqlFiles} on one connection, keeping each prepared statement for
 * reuse. Not thread-safe: the store serialises access to it.
 */
public final class SqlRunner implements AutoCloseable {

    @FunctionalInterface
    public interface RowMapper<T> {
        T map(ResultSet rs) throws SQLException;
    }

    private final Connection connection;
    private final SqlFiles files;
    private final Map<String, PreparedStatement> prepared = new HashMap<>();

    public SqlRunner(Connection connection, SqlFiles files) {
        this.connection = connection;
        this.files = files;
    }

    /** Runs a fixed statement that takes no parameters, such as BEGIN or COMMIT. */
    public void execute(String sql) throws SQLException {
        try (Statement statement = connection.createStatement()) {
            statement.execute(sql);
        }
    }

    public int update(String name, SqlParams params) throws SQLException {
        return bind(name, params).executeUpdate();
    }

    /** Runs one statement for each set of values, sent to the database as one batch; the rows each changed. */
    public int[] updateAll(String name, List<SqlParams> rows) throws SQLException {
        if (rows.isEmpty()) return new int[0];
        PreparedStatement statement = null;
        for (SqlParams params : rows) {
            statement = bind(name, params);
            statement.addBatch();
        }
        return statement.executeBatch();
    }

    public <T> List<T> query(String name, SqlParams params, RowMapper<T> mapper) throws SQLException {
        try (ResultSet rs = bind(name, params).executeQuery()) {
            List<T> rows = new ArrayList<>();
            while (rs.next()) rows.add(mapper.map(rs));
            return rows;
        }
    }

    public <T> Optional<T> queryOne(String name, SqlParams params, RowMapper<T> mapper) throws SQLException {
        List<T> rows = query(name, params, mapper);
        return rows.isEmpty() ? Optional.empty() : Optional.ofNullable(rows.getFirst());
    }

    private PreparedStatement bind(String name, SqlParams params) throws SQLException {
        NamedSql sql = files.get(name);
        PreparedStatement statement = prepared.get(name);
        if (statement == null) {
            statement = connection.prepareStatement(sql.jdbcSql());
            prepared.put(name, statement);
        }
        statement.clearParameters();
        List<String> names = sql.parameterNames();
        for (int i = 0; i < names.size(); i++) {
            Object value = params.get(name, names.get(i));
            if (value == null) statement.setNull(i + 1, Types.NULL);
            else if (value instanceof Instant instant) statement.setLong(i + 1, instant.toEpochMilli());
            else statement.setObject(i + 1, value);
        }
        return statement;
    }

    @Override
    public void close() throws SQLException {
        SQLException first = null;
        for (PreparedStatement statement : prepared.values()) {
            try {
                statement.close();
            } catch (SQLException e) {
                if (first == null) first = e;
            }
        }
        prepared.clear();
        if (first != null) throw first;
    }
}
