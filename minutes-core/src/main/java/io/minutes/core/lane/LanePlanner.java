package io.minutes.core.lane;

import io.minutes.core.domain.Lane;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;

/**
 * Decides, per batch, the lane each meeting runs in, and quotes what that saves and when it will be done.
 *
 * <p>{@code auto} picks the cheapest lane that still meets the deadline: the provider batch when
 * {@code now + max(batch p95, realtime drain of what stays realtime) + realtime drain of what could still be
 * waiting + buffer <= deadline}; else flex where the provider and model take it, when realtime alone would still
 * fit; else realtime. With no deadline, the cheapest lane each meeting can take. A sensitive meeting never waits
 * in a provider batch unless allow-sensitive names the provider; a meeting too long for one call (analysed in
 * parts) never goes to a provider batch.
 *
 * <p>A lane asked for ({@code flex}, {@code batch}) is planned only where it fits the deadline too; else realtime.
 * The guarantee: at the <em>cut-over</em> ({@code deadline - buffer - realtime drain of every meeting not
 * planned realtime}) whatever still waits in a provider batch or for flex capacity is moved to realtime, and the
 * meetings planned realtime are done by then; so a plan other than realtime is chosen only when even its worst
 * case (the provider batch returns nothing, flex is refused every time) ends by {@code deadline - buffer}. When
 * realtime alone could meet the deadline, the plan does too.
 */
public final class LanePlanner {
    private final Clock clock;

    public LanePlanner(Clock clock) {
        this.clock = Objects.requireNonNull(clock, "clock");
    }

    /**
     * One meeting to plan: its estimated input tokens and output allowance (as the throttle reserves them), whether
     * it is of the sensitive tier, and whether one call answers it (false: it needs parts and a merge).
     */
    public record Meeting(String id, long inputTokens, long outputTokens, boolean sensitive, boolean fitsOneCall) {
        public Meeting {
            Objects.requireNonNull(id, "id");
            if (inputTokens < 0 || outputTokens < 0) throw new IllegalArgumentException("tokens must be >= 0: " + id);
        }
    }

    /**
     * What to plan. {@code deadline}: null for none. {@code provider}: its name, for the reasons given.
     */
    public record Request(List<Meeting> meetings, LaneChoice choice, String provider, LaneOffer offer, LanePrices prices,
                          RealtimeDrain drain, BatchLatency batchLatency, Instant deadline, DeadlineBuffer buffer) {
        public Request {
            meetings = List.copyOf(meetings);
            Objects.requireNonNull(choice, "choice");
            Objects.requireNonNull(provider, "provider");
            Objects.requireNonNull(offer, "offer");
            Objects.requireNonNull(prices, "prices");
            Objects.requireNonNull(drain, "drain");
            Objects.requireNonNull(batchLatency, "batchLatency");
            Objects.requireNonNull(buffer, "buffer");
        }
    }

    /** One meeting's lane, its price at list and in that lane, and why it is not in the lane asked for (null when it is). */
    public record Planned(String id, Lane lane, double listUsd, double plannedUsd, String why) {
    }

    /**
     * The plan. {@code expectedFinish}: when it should be done (the provider batch at its p95); {@code latestFinish}:
     * when it is done at worst (nothing comes back from the batch or flex before the cut-over); {@code cutOver}:
     * when what still waits is moved to realtime (null without a deadline, or when everything is realtime);
     * {@code buffer}: kept before the deadline (zero without one); {@code meetsDeadline}: false only when even
     * realtime alone cannot be done by the deadline; {@code why}: the decision in a sentence.
     */
    public record Plan(Instant at, LaneChoice choice, List<Planned> meetings, double listUsd, double plannedUsd,
                       Instant expectedFinish, Instant latestFinish, Instant cutOver, Instant deadline, Duration buffer,
                       Duration batchLatency, boolean batchLatencyMeasured, boolean meetsDeadline, String why) {
        public Plan {
            meetings = List.copyOf(meetings);
        }

        public double savedUsd() {
            return listUsd - plannedUsd;
        }

        public int count(Lane lane) {
            return (int) meetings.stream().filter(m -> m.lane() == lane).count();
        }
    }

    public Plan plan(Request request) {
        Instant now = clock.instant().truncatedTo(java.time.temporal.ChronoUnit.SECONDS);
        Drafting d = new Drafting(request, now);
        return switch (request.choice()) {
            case REALTIME -> d.realtime("realtime asked for");
            case FLEX -> d.flexAsked();
            case BATCH -> d.batchAsked();
            case AUTO -> request.deadline() == null ? d.cheapest() : d.byDeadline();
        };
    }

    /** One planning pass: the request, the instant it is planned at, and the drafts it tries. */
    private static final class Drafting {
        private final Request r;
        private final Instant now;
        private final Duration latency;

        Drafting(Request r, Instant now) {
            this.r = r;
            this.now = now;
            this.latency = r.batchLatency().p95();
        }

        Plan realtime(String why) {
            List<Lane> lanes = r.meetings().stream().map(m -> Lane.REALTIME).toList();
            List<String> whys = r.meetings().stream().map(m -> (String) null).toList();
            return build(lanes, whys, why);
        }

        Plan flexAsked() {
            if (!r.offer().flex()) return realtime(r.provider() + " does not take flex for this model: realtime");
            Plan flex = flexAll("flex asked for");
            if (r.deadline() == null || fits(flex)) return flex;
            return realtime("flex asked for, but the deadline leaves no time to wait for flex capacity: realtime");
        }

        Plan batchAsked() {
            if (!r.offer().batch()) return realtime(r.provider() + " has no batch API Minutes drives: realtime");
            Plan batch = withBatch(false, "provider batch asked for");
            if (r.deadline() == null || fits(batch)) return batch;
            return realtime("provider batch asked for, but a batch (p95 " + human(latency) + ") and the realtime drain after "
                    + "it do not fit before the deadline: realtime");
        }

        /** No deadline: the cheapest lane each meeting can take. */
        Plan cheapest() {
            if (r.offer().batch()) return withBatch(r.offer().flex(), "no deadline: the cheapest lane each meeting can take");
            if (r.offer().flex()) return flexAll("no deadline: flex, the cheapest lane " + r.provider() + " offers");
            return realtime("no deadline, and " + r.provider() + " offers no cheaper lane than realtime");
        }

        Plan byDeadline() {
            List<String> refused = new ArrayList<>();
            if (r.offer().batch()) {
                Plan batch = withBatch(r.offer().flex(), null);
                if (r.offer().flex() && !fits(batch)) batch = withBatch(false, null);
                if (batch.count(Lane.BATCH) > 0 && fits(batch)) {
                    return withWhy(batch, "provider batch: p95 " + human(latency) + (r.batchLatency().measured() ? "" : " (assumed)")
                            + ", then what could still wait drains in realtime by the cut-over " + batch.cutOver()
                            + ", " + human(batch.buffer()) + " before the deadline");
                }
                refused.add(batch.count(Lane.BATCH) == 0 ? "no meeting can wait in a provider batch"
                        : "a provider batch (p95 " + human(latency) + (r.batchLatency().measured() ? "" : ", assumed")
                          + ") and the realtime drain after it do not fit before the deadline");
            }
            if (r.offer().flex()) {
                Plan flex = flexAll(null);
                if (fits(flex)) return withWhy(flex, join(refused) + "flex, with realtime from the cut-over " + flex.cutOver());
                refused.add("realtime alone would not fit with the buffer, so nothing can wait for flex capacity");
            }
            Plan realtime = realtime(null);
            String why = join(refused) + (realtime.meetsDeadline() ? "realtime"
                    : "realtime, and even realtime alone ends after the deadline (at " + realtime.latestFinish() + ")");
            return withWhy(realtime, why);
        }

        /** Batch where a meeting can wait in one; the rest flex ({@code restFlex}) or realtime. */
        Plan withBatch(boolean restFlex, String why) {
            List<Lane> lanes = new ArrayList<>();
            List<String> whys = new ArrayList<>();
            for (Meeting m : r.meetings()) {
                String notBatch = notInBatch(m);
                lanes.add(notBatch == null ? Lane.BATCH : restFlex ? Lane.FLEX : Lane.REALTIME);
                whys.add(notBatch);
            }
            return build(lanes, whys, why);
        }

        Plan flexAll(String why) {
            List<Lane> lanes = r.meetings().stream().map(m -> Lane.FLEX).toList();
            List<String> whys = r.meetings().stream().map(m -> (String) null).toList();
            return build(lanes, whys, why);
        }

        private String notInBatch(Meeting m) {
            if (!m.fitsOneCall()) return "too long for one call: analysed in parts, in realtime";
            if (m.sensitive() && !r.offer().sensitiveInBatches()) {
                return "sensitive: allow-sensitive does not name " + r.provider() + ", so it does not wait in its batches";
            }
            return null;
        }

        /** A plan other than realtime fits when its worst case ends by deadline - buffer and its batch is expected back before the cut-over. */
        private boolean fits(Plan plan) {
            if (plan.cutOver() == null) return plan.meetsDeadline();
            if (plan.cutOver().isBefore(now)) return false;
            if (plan.latestFinish().isAfter(r.deadline().minus(plan.buffer()))) return false;
            return plan.count(Lane.BATCH) == 0 || !now.plus(latency).isAfter(plan.cutOver());
        }

        private Plan build(List<Lane> lanes, List<String> whys, String why) {
            List<Planned> planned = new ArrayList<>();
            double list = 0;
            double paid = 0;
            Tally realtime = new Tally();
            Tally waiting = new Tally(); // batch and flex: what the cut-over may move to realtime
            Tally flex = new Tally();
            for (int i = 0; i < lanes.size(); i++) {
                Meeting m = r.meetings().get(i);
                Lane lane = lanes.get(i);
                double at = r.prices().realtime().cost(m.inputTokens(), m.outputTokens());
                double in = r.prices().price(lane).cost(m.inputTokens(), m.outputTokens());
                list += at;
                paid += in;
                planned.add(new Planned(m.id(), lane, at, in, whys.get(i)));
                (lane == Lane.REALTIME ? realtime : waiting).add(m);
                if (lane == Lane.FLEX) flex.add(m);
            }
            boolean hasBatch = lanes.contains(Lane.BATCH);
            // flex and realtime calls share the throttle from now on; flex calls are the slower
            Duration calls = flex.calls == 0 ? drain(realtime) : r.drain().flexTime(realtime.calls + flex.calls,
                    realtime.in + flex.in, realtime.out + flex.out);
            Instant expected = now.plus(hasBatch ? max(latency, calls) : calls);
            Instant deadline = r.deadline();
            CutOver cut = deadline == null ? null : CutOver.of(now, deadline, r.buffer());
            Duration buffer = cut == null ? Duration.ZERO : cut.buffer();
            Instant cutOver = null;
            Instant latest = expected;
            if (waiting.calls > 0) {
                if (deadline != null) {
                    cutOver = cut.at(r.drain(), waiting.calls, waiting.in, waiting.out);
                    // at worst nothing waiting comes back before the cut-over; the realtime meetings (and the flex
                    // calls beside them) hold the throttle until they are done
                    Instant throttleFree = now.plus(flex.calls == 0 ? drain(realtime) : calls);
                    latest = max(cutOver, throttleFree).plus(drain(waiting));
                } else {
                    latest = hasBatch ? now.plus(max(latency, calls)) : expected;
                }
            }
            // the cut-over comes before the batch or flex would be done: from then on realtime finishes the work
            if (expected.isAfter(latest)) expected = latest;
            boolean meets = deadline == null || !latest.isAfter(deadline);
            return new Plan(now, r.choice(), planned, list, paid, expected, latest, cutOver, deadline, buffer, latency,
                    r.batchLatency().measured(), meets, why);
        }

        private Duration drain(Tally t) {
            return r.drain().time(t.calls, t.in, t.out);
        }

        private static Plan withWhy(Plan p, String why) {
            return new Plan(p.at(), p.choice(), p.meetings(), p.listUsd(), p.plannedUsd(), p.expectedFinish(),
                    p.latestFinish(), p.cutOver(), p.deadline(), p.buffer(), p.batchLatency(), p.batchLatencyMeasured(),
                    p.meetsDeadline(), why);
        }

        private static String join(List<String> refused) {
            return refused.isEmpty() ? "" : String.join("; ", refused) + ": ";
        }
    }

    private static final class Tally {
        int calls;
        long in;
        long out;

        void add(Meeting m) {
            calls++;
            in += m.inputTokens();
            out += m.outputTokens();
        }
    }

    private static Duration max(Duration a, Duration b) {
        return a.compareTo(b) >= 0 ? a : b;
    }

    private static Instant max(Instant a, Instant b) {
        return a.isAfter(b) ? a : b;
    }

    /** "24 h", "35 min", "40 s": durations as the quote shows them. */
    public static String human(Duration d) {
        long s = d.toSeconds();
        if (s < 90) return s + " s";
        if (s < 5400 && s != 3600) return Math.round(s / 60.0) + " min";
        double h = s / 3600.0;
        return (h == Math.rint(h) ? String.valueOf((long) h) : String.format(java.util.Locale.ROOT, "%.1f", h)) + " h";
    }
}
