package io.minutes.store.postgres;

import io.minutes.core.domain.Usage;
import io.minutes.core.port.StoreEvents;
import io.minutes.store.JsonCodec;
import io.minutes.store.StoreFailures;
import io.minutes.store.jdbc.JdbcMeetingStore;
import io.minutes.store.jdbc.SqlFiles;
import io.minutes.store.jdbc.SqlRunner;

import java.sql.Connection;
import java.sql.SQLException;

/**
 * The {@link io.minutes.core.port.MeetingStore} many nodes share: the operations are
 * {@link JdbcMeetingStore}'s over {@code sql/postgres/*.sql} and {@code sql/common/*.sql}, each in its own transaction on a
 * pooled connection, so the threads of a node work in parallel. Claims lock their rows with
 * {@code FOR UPDATE SKIP LOCKED} (nodes never wait for each other's claims); every write that ends
 * an attempt is a single guarded UPDATE, so a node that lost its lease changes nothing.
 */
public final class PostgresMeetingStore extends JdbcMeetingStore {

    private static final SqlFiles SQL = new SqlFiles("postgres");

    private final PostgresDatabase database;
    private final boolean ownsDatabase;

    private PostgresMeetingStore(PostgresDatabase database, boolean ownsDatabase, StoreEvents events) {
        super(events);
        this.database = database;
        this.ownsDatabase = ownsDatabase;
    }

    /**
     * A store on a database its caller opened and closes; {@code events} (LISTEN/NOTIFY on the same
     * database, for every node) hears of every write that queued meetings.
     */
    public static PostgresMeetingStore on(PostgresDatabase database, StoreEvents events) {
        return new PostgresMeetingStore(database, false, events);
    }

    /** Connects to and migrates the database; closing the store closes the connections. */
    public static PostgresMeetingStore open(PostgresUrl url, StoreEvents events) {
        return new PostgresMeetingStore(PostgresDatabase.open(url), true, events);
    }

    public PostgresDatabase database() {
        return database;
    }

    /** READ COMMITTED: every write is guarded row by row (see the SQL files), so it needs no more. */
    @Override
    protected <T> T write(String operation, Work<T> work) {
        return inTransaction(operation, null, work);
    }

    /** Each query on its own, in auto-commit mode: no BEGIN, no COMMIT, one round trip a query. */
    @Override
    protected <T> T read(String operation, Work<T> work) {
        return autoCommitted(operation, work);
    }

    /** Each statement committed as it runs: a write of one statement holds its row locks for no round trip. */
    private <T> T autoCommitted(String operation, Work<T> work) {
        try (Connection connection = database.dataSource().getConnection();
             SqlRunner sql = new SqlRunner(connection, SQL)) {
            connection.setAutoCommit(true); // the pool sets it back when the connection returns
            return work.run(sql);
        } catch (SQLException e) {
            throw StoreFailures.postgres(operation, e);
        }
    }

    /**
     * A completion writes the meeting and closes its attempt in one statement, committed as it runs
     * (see meeting_complete_closing_attempt.sql), behind the same lease guard; the other outcomes are
     * {@link JdbcMeetingStore}'s.
     */
    @Override
    public boolean meetingFinish(FinishParams params) {
        if (!(params.outcome() instanceof Outcome.Completed done)) return super.meetingFinish(params);
        return autoCommitted("meetingFinish", sql -> sql.queryOne("meeting_complete_closing_attempt",
                completion(leaseGuard(params.meetingId(), params.owner(), params.attempt()), done).set("now", params.now()),
                rs -> rs.getInt("completed")).orElse(0) == 1);
    }

    /** One snapshot for the several queries of a read (a batch's meetings and their attempts). */
    @Override
    protected <T> T readSnapshot(String operation, Work<T> work) {
        return inTransaction(operation, "SET TRANSACTION ISOLATION LEVEL REPEATABLE READ, READ ONLY", work);
    }

    @Override
    protected <T> T writeRolledBack(String operation, Work<T> work) {
        return inTransaction(operation, null, work, false);
    }

    private <T> T inTransaction(String operation, String characteristics, Work<T> work) {
        return inTransaction(operation, characteristics, work, true);
    }

    // Pooled connections are not in auto-commit mode: the driver opens the transaction with the first
    // statement, and it ends here with COMMIT or ROLLBACK.
    private <T> T inTransaction(String operation, String characteristics, Work<T> work, boolean commit) {
        try (Connection connection = database.dataSource().getConnection();
             SqlRunner sql = new SqlRunner(connection, SQL)) {
            try {
                if (characteristics != null) sql.execute(characteristics);
                T result = work.run(sql);
                if (commit) connection.commit();
                else connection.rollback();
                return result;
            } catch (SQLException | RuntimeException e) {
                rollback(connection, e);
                throw e;
            }
        } catch (SQLException e) {
            throw StoreFailures.postgres(operation, e);
        }
    }

    private static void rollback(Connection connection, Exception cause) {
        try {
            connection.rollback();
        } catch (SQLException e) {
            cause.addSuppressed(e);
        }
    }

    @Override
    public void close() {
        if (ownsDatabase) database.close();
    }
}
