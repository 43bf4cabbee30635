package io.minutes.core.lane;

import java.time.Instant;
import java.util.List;

/**
 * Plans a new batch's lanes as it is submitted: what the configured provider, model, prices, limits and batch
 * latency make of the lane asked for and the deadline. The application builds it from its settings; {@link
 * io.minutes.core.submission.Submissions} asks it.
 */
public interface LanePlans {

    /** The output allowance of one call (max-output-tokens): a meeting that reserves more is analysed in parts. */
    long outputTokensPerCall();

    LanePlanner.Plan plan(List<LanePlanner.Meeting> meetings, LaneChoice choice, Instant deadline);
}
