package io.minutes.store.jdbc;

import io.minutes.core.domain.Attempt;
import io.minutes.core.domain.AudioRef;
import io.minutes.core.domain.ClaimedMeeting;
import io.minutes.core.domain.Lane;
import io.minutes.core.domain.Meeting;
import io.minutes.core.domain.MeetingState;
import io.minutes.core.domain.Priority;
import io.minutes.core.domain.Tier;
import io.minutes.core.style.LanguageChoice;
import io.minutes.core.style.MinutesStyle;
import io.minutes.core.domain.TranscriptionUsage;
import io.minutes.core.domain.Usage;
import io.minutes.core.port.ProviderBatchStore.ProviderBatch;
import io.minutes.core.port.ProviderBatchStore.ProviderBatchState;
import io.minutes.core.port.ProviderBatches;
import io.minutes.store.JsonCodec;

import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Instant;
import java.time.LocalDate;
import java.util.List;

/** Domain values from the rows of the store's queries; the column names are the same on every backend. */
public final class StoreRows {
    private StoreRows() {
    }

    /** A batch row without its counts, which come from a second query. */
    public record BatchRow(String id, String runKey, String provider, Instant submittedAt, Priority priority) {
    }

    /** One line of batch_counts.sql. */
    public record StateCount(MeetingState state, int meetings, Usage usage) {
    }

    /** One line of meetings_claimable.sql. */
    public record Claimable(String id, String batchId, int index, String source, String title,
                            String transcriptJson, int attemptCount, int attemptBase, AudioRef audio, Tier tier,
                            Integer maxAttempts, boolean budgeted, String tenant, MinutesStyle style, LocalDate date,
                            Lane lane) {
        public ClaimedMeeting claimed(Instant leaseExpiresAt) {
            return new ClaimedMeeting(id, batchId, index, source, title,
                    JsonCodec.transcriptFromJson(transcriptJson), attemptCount + 1, attemptBase, leaseExpiresAt, audio, tier,
                    maxAttempts, budgeted, tenant, style, date, lane);
        }

        /** A meeting waiting in a provider batch: its attempt was opened when it was packed; it has no lease. */
        public ClaimedMeeting waiting() {
            return new ClaimedMeeting(id, batchId, index, source, title,
                    JsonCodec.transcriptFromJson(transcriptJson), attemptCount, attemptBase, null, audio, tier,
                    maxAttempts, budgeted, tenant, style, date, lane);
        }
    }

    /** One line of attempts_list_by_batch.sql. */
    public record AttemptRow(String meetingId, Attempt attempt) {
    }

    public static BatchRow batch(ResultSet rs) throws SQLException {
        return new BatchRow(rs.getString("id"), rs.getString("run_key"), rs.getString("provider"),
                Rows.instant(rs, "submitted_at"), Priority.fromWire(rs.getString("priority")));
    }

    public static StateCount stateCount(ResultSet rs) throws SQLException {
        return new StateCount(MeetingState.fromWire(rs.getString("state")), rs.getInt("meetings"),
                new Usage(rs.getLong("input_tokens"), rs.getLong("output_tokens"), rs.getDouble("cost_usd")));
    }

    public static Claimable claimable(ResultSet rs) throws SQLException {
        return new Claimable(rs.getString("id"), rs.getString("batch_id"), rs.getInt("idx"),
                rs.getString("source"), rs.getString("title"), rs.getString("transcript_json"),
                rs.getInt("attempt_count"), rs.getInt("attempt_base"), audio(rs), Tier.fromWire(rs.getString("tier")),
                Rows.nullableInt(rs, "max_attempts"), rs.getInt("budgeted") == 1, rs.getString("tenant"), style(rs),
                meetingDate(rs), Lane.fromWire(rs.getString("lane")));
    }

    /** The day a meeting took place, when given or read from its file's metadata (V018); null when not. */
    private static LocalDate meetingDate(ResultSet rs) throws SQLException {
        String iso = rs.getString("meeting_date");
        return iso == null ? null : LocalDate.parse(iso);
    }

    /** The language and template a meeting's batch asked for (V016); null when it asked for neither. */
    private static MinutesStyle style(ResultSet rs) throws SQLException {
        String language = rs.getString("language");
        String template = rs.getString("template");
        if (language == null && template == null) return null;
        return new MinutesStyle(language == null ? LanguageChoice.AUTO : LanguageChoice.parse(language, "stored language"), template);
    }

    public static AttemptRow attempt(ResultSet rs) throws SQLException {
        return new AttemptRow(rs.getString("meeting_id"), new Attempt(rs.getInt("number"),
                Rows.instant(rs, "started_at"), Rows.instant(rs, "finished_at"), Rows.failure(rs)));
    }

    /** A meeting row of meetings_list.sql with the attempts found for it. */
    public static Meeting meeting(ResultSet rs, List<Attempt> attempts) throws SQLException {
        return new Meeting(
                rs.getString("id"),
                rs.getString("batch_id"),
                rs.getInt("idx"),
                rs.getString("source"),
                rs.getString("title"),
                rs.getString("content_hash"),
                MeetingState.fromWire(rs.getString("state")),
                rs.getInt("attempt_count"),
                Rows.instant(rs, "not_before"),
                rs.getString("skip_reason"),
                Rows.failure(rs),
                JsonCodec.analysisFromJson(rs.getString("analysis_json")),
                usage(rs),
                Rows.instant(rs, "completed_at"),
                attempts,
                audio(rs),
                transcription(rs),
                rs.getString("duplicate_of"),
                rs.getString("replaced_by"),
                Lane.fromWire(rs.getString("lane")),
                lane(rs.getString("ran_lane")),
                Rows.nullableDouble(rs, "list_cost_usd"),
                meetingDate(rs));
    }

    private static Lane lane(String wire) {
        return wire == null ? null : Lane.fromWire(wire);
    }

    /** One line of provider_batch_get.sql. */
    public static ProviderBatch providerBatch(ResultSet rs) throws SQLException {
        Integer total = Rows.nullableInt(rs, "total");
        ProviderBatches.Counts counts = total == null ? null : new ProviderBatches.Counts(total, rs.getInt("succeeded"),
                rs.getInt("errored"), rs.getInt("not_run"));
        return new ProviderBatch(rs.getString("id"), rs.getString("provider"), rs.getString("model"),
                ProviderBatchState.fromWire(rs.getString("state")), rs.getString("staged_ref"), rs.getString("remote_id"),
                rs.getInt("lines"), rs.getLong("enqueued_tokens"), counts, rs.getString("remote_status"),
                rs.getString("failure"), Rows.instant(rs, "intended_at"), Rows.instant(rs, "created_at"),
                Rows.instant(rs, "ended_at"), rs.getString("lease_owner"), Rows.instant(rs, "lease_expires_at"));
    }

    /** blob_key and media_type: null for a transcript meeting. */
    public static AudioRef audio(ResultSet rs) throws SQLException {
        String blobKey = rs.getString("blob_key");
        return blobKey == null ? null : new AudioRef(blobKey, rs.getString("media_type"));
    }

    private static TranscriptionUsage transcription(ResultSet rs) throws SQLException {
        double seconds = rs.getDouble("audio_seconds");
        if (rs.wasNull()) return null;
        return new TranscriptionUsage(seconds, rs.getDouble("transcription_cost_usd"));
    }

    private static Usage usage(ResultSet rs) throws SQLException {
        Long input = Rows.nullableLong(rs, "input_tokens");
        if (input == null) return null;
        return new Usage(input, rs.getLong("output_tokens"), rs.getDouble("cost_usd"));
    }
}
