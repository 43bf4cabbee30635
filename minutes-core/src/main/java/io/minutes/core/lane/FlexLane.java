package io.minutes.core.lane;

import io.minutes.core.domain.ClaimedMeeting;
import io.minutes.core.domain.Failure;
import io.minutes.core.domain.Lane;
import io.minutes.core.engine.Pipeline;
import io.minutes.core.engine.RetryPolicy;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.time.Clock;
import java.time.Duration;
import java.util.Objects;
import java.util.Optional;

/**
 * The flex lane: a meeting planned for it runs through the realtime pipeline (same throttle, retries, result cache,
 * redaction, budgets) with its calls sent in the provider's flex tier. Whether a meeting still may use flex is a
 * question of its batch's deadline: once the batch's cut-over has come, or a meeting refused for flex capacity could
 * only try again after it, the meeting runs realtime at once. Without a deadline a refused meeting waits (the retry
 * policy's backoff) and tries flex again, as often as it takes; a refusal never uses one of its attempts.
 */
public final class FlexLane implements Pipeline.Flex {
    private static final Logger log = LoggerFactory.getLogger(FlexLane.class);

    private final CutOverWatch cutOver;
    private final RetryPolicy retryPolicy;
    private final Clock clock;

    /** @param cutOver the batches' deadlines (null: not watched, a refused meeting always waits for flex) */
    public FlexLane(CutOverWatch cutOver, RetryPolicy retryPolicy, Clock clock) {
        this.cutOver = cutOver;
        this.retryPolicy = Objects.requireNonNull(retryPolicy, "retryPolicy");
        this.clock = Objects.requireNonNull(clock, "clock");
    }

    /**
     * The lane {@code meeting}'s calls go in now: flex when it is planned for flex and its batch's cut-over has not
     * come; else realtime. {@code inputTokens}: its estimate, for the drain of what its batch still has to do.
     */
    @Override
    public Lane laneFor(ClaimedMeeting meeting, long inputTokens) {
        if (meeting.lane() != Lane.FLEX) return Lane.REALTIME;
        if (cutOver == null) return Lane.FLEX;
        Optional<String> come = cutOver.cutOverCome(meeting.batchId(), inputTokens);
        if (come.isEmpty()) return Lane.FLEX;
        log.info("{} ({}) runs realtime rather than flex: {}", meeting.source(), meeting.id(), come.get());
        return Lane.REALTIME;
    }

    /**
     * After {@code meeting}'s flex call was refused for capacity ({@code refusal}): how long it waits before it tries
     * flex again, or empty when its batch's deadline leaves no time to wait and it must run realtime now.
     */
    @Override
    public Optional<Duration> mayWait(ClaimedMeeting meeting, Failure refusal, long inputTokens) {
        Duration wait = retryPolicy.flexWait(meeting.attempt(), refusal);
        if (cutOver == null) return Optional.of(wait);
        Optional<String> noTime = cutOver.noTimeToWaitForFlex(meeting.batchId(), inputTokens, clock.instant().plus(wait));
        if (noTime.isEmpty()) return Optional.of(wait);
        log.info("{} ({}): flex refused for capacity and {}: it runs realtime now", meeting.source(), meeting.id(), noTime.get());
        return Optional.empty();
    }
}
