package io.minutes.core.submission;

import io.minutes.core.domain.Batch;
import io.minutes.core.domain.BatchCounts;
import io.minutes.core.domain.Meeting;
import io.minutes.core.domain.MeetingState;
import io.minutes.core.domain.OnDuplicate;
import io.minutes.core.domain.Tier;
import io.minutes.core.engine.Estimator;
import io.minutes.core.engine.RateLimits;
import io.minutes.core.domain.Lane;
import io.minutes.core.lane.LaneChoice;
import io.minutes.core.lane.LanePlanner;
import io.minutes.core.lane.LanePlans;
import io.minutes.core.port.Analyzer;
import io.minutes.core.port.BatchStore;
import io.minutes.core.port.StoreStatus;
import io.minutes.core.port.BatchStore.NewMeeting;

import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * "Submit a batch", the one way the CLI ({@code run}) and the HTTP service store one: capacity (the
 * service's queue limit) → preview (which meetings would be sent, which are duplicates) → estimate →
 * budget → store → announce. A refusal stores nothing. Each caller says the result in its own words:
 * the CLI as an exit status and a line, HTTP as problem+json.
 */
public final class Submissions {

    /** What a submission came to. */
    public sealed interface Result permits Stored, OverBudget, QueueFull {
    }

    /**
     * Stored (a new batch, or the earlier batch of the same inputs, resumed) and announced;
     * {@code requeued}: the failed and cancelled meetings of a finished batch queued again; {@code plan}: how its
     * lanes were planned (null when they were not: realtime asked for, no deadline).
     */
    public record Stored(Batch batch, int requeued, LanePlanner.Plan plan) implements Result {
        public Stored(Batch batch, int requeued) {
            this(batch, requeued, null);
        }
    }

    /**
     * Refused: {@code spentUsd} (what the batch spent before, when it is resumed) plus {@code maxCostUsd} passes
     * {@code budgetUsd}. {@code maxCostUsd} is the most the batch may cost in the lanes it was planned in: the
     * estimate's {@link Estimator.Estimate#maxCostUsd() list price}, less what its provider batch and flex lanes save
     * (the budget is held at the lane's price). Nothing was stored or changed.
     */
    public record OverBudget(Estimator.Estimate estimate, double spentUsd, double budgetUsd, double maxCostUsd)
            implements Result {
        /** At the list price (every meeting planned realtime). */
        public OverBudget(Estimator.Estimate estimate, double spentUsd, double budgetUsd) {
            this(estimate, spentUsd, budgetUsd, estimate.maxCostUsd());
        }

        /** Whether the lanes planned made it cheaper than the list price. */
        public boolean atLanePrices() {
            return maxCostUsd < estimate.maxCostUsd();
        }
    }

    /** Refused: {@code queued} meetings wait and this adds {@code adding}; the queue holds at most {@code limit}. */
    public record QueueFull(int queued, int adding, int limit) implements Result {
        /** The meetings that do not fit. */
        public int over() {
            return queued + adding - limit;
        }
    }

    /**
     * A new batch. {@code submission}'s budget holds it unless it allows going over; {@code limits} (the
     * configured rate limits, or none) give the estimate its time. {@code service}: stored with its
     * submission and tiers, as HTTP does; else as {@code run} stores its inputs (without them, under the run
     * key of the params). The submission is read either way: its budget flags, and its tenant for the preview.
     * {@code lane}: the lane asked for; {@code deadline}: when the batch must be done by (null: none), stored with
     * it. With a lane other than realtime or a deadline, the {@link LanePlans} given to this decides the lane the
     * batch is stored with (without one: the lane asked for, auto being realtime).
     */
    public record NewBatch(BatchStore.BatchCreateParams params, RateLimits limits, boolean service, LaneChoice lane,
                           Instant deadline) {
        public NewBatch {
            java.util.Objects.requireNonNull(params.submission(), "a new batch is estimated as submitted: give its submission");
            lane = lane == null ? LaneChoice.REALTIME : lane;
        }

        /** In the lane its params name, without a deadline. */
        public NewBatch(BatchStore.BatchCreateParams params, RateLimits limits, boolean service) {
            this(params, limits, service, LaneChoice.valueOf(params.lane().name()), null);
        }

        /** Whether the planner decides its lane: a lane other than realtime asked for, or a deadline. */
        boolean planned() {
            return lane != LaneChoice.REALTIME || deadline != null;
        }
    }

    /**
     * The batch {@code run} made before of the same inputs: {@code inputs} are its meetings as read again, in
     * input order; {@code budgetUsd} (null: none) holds it from now on, and is checked against what it
     * spent plus what is left unless {@code allowOverBudget}.
     */
    public record Resume(Batch existing, List<NewMeeting> inputs, Double budgetUsd, boolean allowOverBudget,
                         RateLimits limits, Instant deadline) {
        /** Without a deadline. */
        public Resume(Batch existing, List<NewMeeting> inputs, Double budgetUsd, boolean allowOverBudget, RateLimits limits) {
            this(existing, inputs, budgetUsd, allowOverBudget, limits, null);
        }
    }

    private final BatchStore store;
    private final StoreStatus status;
    private final Estimator estimator;
    private final int maxQueuedMeetings;
    private final Clock clock;
    private final LanePlans lanes;

    /**
     * @param maxQueuedMeetings the most meetings the queue holds, new ones included ({@link Integer#MAX_VALUE}: no limit)
     */
    public Submissions(BatchStore store, StoreStatus status, Estimator estimator, int maxQueuedMeetings, Clock clock) {
        this(store, status, estimator, maxQueuedMeetings, clock, null);
    }

    /** @param lanes plans the lanes of a batch that asks for one other than realtime, or has a deadline (null: none) */
    public Submissions(BatchStore store, StoreStatus status, Estimator estimator, int maxQueuedMeetings, Clock clock,
                       LanePlans lanes) {
        this.store = store;
        this.status = status;
        this.estimator = estimator;
        this.maxQueuedMeetings = maxQueuedMeetings;
        this.clock = clock;
        this.lanes = lanes;
    }

    /** Capacity, then budget, then store (the store announces the work to every node once it has committed). */
    public Result submit(NewBatch request) {
        BatchStore.BatchCreateParams params = request.params();
        Optional<QueueFull> full = capacityFor((int) params.meetings().stream().filter(m -> m.transcript() != null).count());
        if (full.isPresent()) return full.get();
        Double budgetUsd = params.budgetUsd();
        boolean holdToBudget = budgetUsd != null && !params.submission().allowOverBudget();
        LanePlanner.Plan plan = lanes != null && request.planned()
                ? lanes.plan(toPlan(request, lanes.outputTokensPerCall()), request.lane(), request.deadline()) : null;
        if (holdToBudget) {
            Estimator.Estimate e = estimate(request);
            // held at the price of the lanes planned: what a provider batch or flex saves is not reserved
            double most = plan == null ? e.maxCostUsd() : Math.max(0, e.maxCostUsd() - plan.savedUsd());
            if (most > budgetUsd) return new OverBudget(e, 0, budgetUsd, most);
        }
        if (plan != null) {
            // the batch lane gives back to realtime, one by one, the meetings it cannot send (parts, sensitive, cached)
            params = params.withLane(plan.count(Lane.BATCH) > 0 ? Lane.BATCH : plan.count(Lane.FLEX) > 0 ? Lane.FLEX : Lane.REALTIME);
        } else {
            params = params.withLane(switch (request.lane()) {
                case BATCH -> Lane.BATCH;
                case FLEX -> Lane.FLEX;
                case AUTO, REALTIME -> Lane.REALTIME;
            });
        }
        Batch batch = store.batchCreate(request.service() ? params : params.withSubmission(null, null));
        if (request.deadline() != null) store.batchDeadlineSet(new BatchStore.BatchDeadlineParams(batch.id(), request.deadline()));
        return new Stored(batch, 0, plan);
    }

    /**
     * What the batch would cost if it were submitted now (nothing is stored): only what would be sent is
     * estimated, as the store's preview says; duplicates the batch would skip and cached answers cost nothing.
     */
    public Estimator.Estimate estimate(NewBatch request) {
        BatchStore.BatchCreateParams params = request.params();
        List<MeetingState> preview = store.batchPreview(params);
        return estimator.estimate(params.meetings(), preview, params.onDuplicate() != OnDuplicate.REPLACE,
                request.limits(), params.submission().tenant(), params.submission().style());
    }

    /**
     * The meetings of the batch that would be sent if it were submitted now (as {@link #estimate} counts them), as
     * the lane planner takes them: named by their source, with their estimate, their tier, and whether one call
     * answers them (a meeting whose estimate reserves more output than {@code maxOutputTokensPerCall} is analysed
     * in parts).
     */
    public List<LanePlanner.Meeting> toPlan(NewBatch request, long maxOutputTokensPerCall) {
        BatchStore.BatchCreateParams params = request.params();
        List<MeetingState> preview = store.batchPreview(params);
        List<LanePlanner.Meeting> meetings = new ArrayList<>();
        for (Estimator.Sent sent : estimator.sent(params.meetings(), preview, params.onDuplicate() != OnDuplicate.REPLACE,
                params.submission().tenant())) {
            Tier tier = params.tiers() != null ? params.tiers().get(sent.index()) : params.tier();
            Analyzer.Estimate e = sent.estimate();
            meetings.add(new LanePlanner.Meeting(params.meetings().get(sent.index()).source(), e.inputTokens(),
                    e.maxOutputTokens(), tier == Tier.SENSITIVE, e.maxOutputTokens() <= maxOutputTokensPerCall));
        }
        return meetings;
    }

    /**
     * Resumes {@code run}'s earlier batch: held to the budget of this run (its failed and cancelled
     * meetings queued again when it had finished). Nothing changes when the budget refuses it.
     */
    public Result resume(Resume request) {
        Batch existing = request.existing();
        BatchCounts counts = existing.counts();
        Double budgetUsd = request.budgetUsd();
        if (budgetUsd != null && !request.allowOverBudget()) {
            List<NewMeeting> left = new ArrayList<>();
            for (Meeting m : store.meetingsBrief(existing.id())) {
                boolean toRun = counts.isFinished() ? m.state() == MeetingState.FAILED || m.state() == MeetingState.CANCELLED
                        : !m.state().isFinal();
                if (toRun && m.index() < request.inputs().size()) left.add(request.inputs().get(m.index()));
            }
            Estimator.Estimate e = estimator.estimate(left, null, true, request.limits());
            double spent = existing.usage().costUsd();
            if (spent + e.maxCostUsd() > budgetUsd) return new OverBudget(e, spent, budgetUsd);
        }
        // the budget of this run holds the batch from now on (none: no limit), as it did when it was made
        store.batchBudgetSet(new BatchStore.BatchBudgetParams(existing.id(), budgetUsd));
        // and its deadline likewise (none: none)
        store.batchDeadlineSet(new BatchStore.BatchDeadlineParams(existing.id(), request.deadline()));
        int requeued = 0;
        if (counts.isFinished() && counts.failed() + counts.cancelled() > 0) {
            requeued = store.meetingsRequeue(BatchStore.RequeueParams.failedAndCancelled(existing.id(), clock.instant()));
        }
        return new Stored(store.batchGet(existing.id()).orElseThrow(), requeued);
    }

    /** Empty when {@code adding} more meetings fit in the queue; else how full it is. */
    public Optional<QueueFull> capacityFor(int adding) {
        if (maxQueuedMeetings == Integer.MAX_VALUE) return Optional.empty();
        int queued = status.countsAll().counts().queued();
        if (queued + adding <= maxQueuedMeetings) return Optional.empty();
        return Optional.of(new QueueFull(queued, adding, maxQueuedMeetings));
    }
}
