package io.minutes.store.postgres;

import com.zaxxer.hikari.HikariConfig;
import com.zaxxer.hikari.HikariDataSource;
import io.minutes.store.StoreException;
import org.flywaydb.core.Flyway;
import org.postgresql.PGProperty;

import javax.sql.DataSource;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.Properties;

/**
 * One PostgreSQL database, migrated, with a connection pool that its store, events, blobs and
 * rate-limit buckets share. Many processes may open the same database at once: Flyway serialises
 * their migrations with an advisory lock.
 */
public final class PostgresDatabase implements AutoCloseable {
    public static final int DEFAULT_POOL_SIZE = 10;
    // Flyway migrates on one connection while it holds its lock on another
    private static final int MIN_POOL_SIZE = 2;

    private final PostgresUrl url;
    private final HikariDataSource pool;
    private final String schema;

    private PostgresDatabase(PostgresUrl url, HikariDataSource pool, String schema) {
        this.url = url;
        this.pool = pool;
        this.schema = schema;
    }

    public static PostgresDatabase open(PostgresUrl url) {
        return open(url, DEFAULT_POOL_SIZE);
    }

    /** Connects and migrates; a server that does not answer is a {@link StoreException} naming it. */
    public static PostgresDatabase open(PostgresUrl url, int poolSize) {
        return open(url, poolSize, false);
    }

    /**
     * As {@link #open(PostgresUrl, int)}; {@code filled}, for a node that runs the engine: the pool opens
     * all its connections straight away, in the background while the node starts (migrating, storing a
     * batch), rather than one at a time as the engine's first meetings wait for them, which held up the
     * start of every batch (a new connection is a server process and a handshake). Otherwise the pool
     * keeps two, and grows as it is used.
     */
    public static PostgresDatabase open(PostgresUrl url, int poolSize, boolean filled) {
        HikariConfig config = new HikariConfig();
        config.setJdbcUrl(url.jdbcUrl());
        if (url.user() != null) config.setUsername(url.user());
        if (url.password() != null) config.setPassword(url.password());
        int size = Math.max(MIN_POOL_SIZE, poolSize);
        config.setMaximumPoolSize(size);
        config.setMinimumIdle(filled ? size : Math.min(2, poolSize));
        config.setPoolName("minutes-postgres");
        config.setConnectionTimeout(10_000);
        // Transactions start implicitly with their first statement (no BEGIN round trip); the store
        // and the blobs commit explicitly.
        config.setAutoCommit(false);
        // Like the SQLite store's synchronous=NORMAL: a commit does not wait for its WAL flush, so a
        // crash of the database server (not of a node) may lose the last moments of commits, never
        // consistency. A lost completion means the meeting runs again; a commit then costs no fsync.
        // (set at connection start-up: an init statement would leave each new connection in a transaction)
        config.addDataSourceProperty(PGProperty.OPTIONS.getName(), "-c synchronous_commit=off");
        config.addDataSourceProperty(PGProperty.APPLICATION_NAME.getName(), "minutes");
        config.addDataSourceProperty(PGProperty.REWRITE_BATCHED_INSERTS.getName(), "true");
        HikariDataSource pool;
        try {
            pool = new HikariDataSource(config);
        } catch (RuntimeException e) {
            throw new StoreException("cannot connect to PostgreSQL at " + url + ": " + rootMessage(e)
                    + ". Is the server running, and does the database exist?", e);
        }
        try {
            Flyway.configure()
                    .dataSource(pool)
                    .locations("classpath:db/migration/postgres")
                    .loggers("slf4j")
                    .load()
                    .migrate();
            return new PostgresDatabase(url, pool, currentSchema(pool));
        } catch (RuntimeException | SQLException e) {
            pool.close();
            throw new StoreException("cannot prepare the PostgreSQL database " + url + ": " + rootMessage(e), e);
        }
    }

    private static String currentSchema(DataSource pool) throws SQLException {
        try (Connection c = pool.getConnection(); Statement s = c.createStatement();
             ResultSet rs = s.executeQuery("SELECT current_schema()")) {
            rs.next();
            return rs.getString(1);
        }
    }

    public PostgresUrl url() {
        return url;
    }

    public DataSource dataSource() {
        return pool;
    }

    /** The schema the tables live in; notification channels are named after it. */
    public String schema() {
        return schema;
    }

    /** A connection outside the pool, for a listener that keeps it for as long as it runs. */
    Connection dedicatedConnection() throws SQLException {
        Properties props = new Properties();
        if (url.user() != null) props.setProperty("user", url.user());
        if (url.password() != null) props.setProperty("password", url.password());
        props.setProperty(PGProperty.APPLICATION_NAME.getName(), "minutes-listen");
        Connection connection = new org.postgresql.Driver().connect(url.jdbcUrl(), props);
        if (connection == null) throw new SQLException("not a PostgreSQL URL: " + url);
        return connection;
    }

    @Override
    public void close() {
        pool.close();
    }

    static String rootMessage(Throwable e) {
        Throwable t = e;
        while (t.getCause() != null && t.getCause() != t) t = t.getCause();
        return t.getMessage() == null ? t.toString() : t.getMessage();
    }
}
