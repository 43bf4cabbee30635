package io.minutes.core.port;

import io.minutes.core.domain.Batch;
import io.minutes.core.domain.Meeting;
import io.minutes.core.domain.Tier;
import io.minutes.core.domain.Transcript;

import java.util.Optional;

/**
 * A batch or a meeting by id: what both the engine (to see where a meeting or its batch stands) and the
 * batch use cases read. Part of every {@link MeetingStore}.
 */
public interface BatchLookup {

    /** A stored meeting with its transcript (null for meetings that never got past ingest) and tier. */
    record MeetingDetail(Meeting meeting, Transcript transcript, Tier tier) {
    }

    Optional<Batch> batchGet(String batchId);

    Optional<MeetingDetail> meetingGet(String meetingId);
}
