package io.minutes.app.bench;

import io.minutes.core.domain.Usage;
import io.minutes.core.port.BatchStore.NewMeeting;
import io.minutes.providers.sim.EnforcedLimit;
import io.minutes.providers.sim.SimAnalyzer;

import java.util.List;
import java.util.PriorityQueue;

/**
 * The earliest finish any client could reach under what the sim enforces: every call takes the time
 * the sim gives it in the run (its own latency draw, not the mean: with the mean, a run whose last
 * calls drew short latencies beat its floor; a hung call its timeout), at most {@code concurrency} in
 * flight, each call starting as soon
 * as a slot is free and the sim's own limits (the same {@link EnforcedLimit} code, on a virtual clock)
 * would accept it, charged what the sim charges; a failed call's retry is ready the moment it fails.
 * The calls and their faults are the sim's own for this seed, so the floor counts the retries the run
 * cannot avoid.
 */
final class Floor {
    private Floor() {
    }

    private record Call(long readyNanos, int meeting, int number) {
    }

    static double seconds(Scenario s, List<NewMeeting> meetings, SimAnalyzer.Settings sim) {
        EnforcedLimit requests = s.serverRpm() > 0 ? EnforcedLimit.of(s.window(), s.serverRpm(), 0) : null;
        EnforcedLimit tokens = s.serverTpm() > 0 ? EnforcedLimit.of(s.window(), s.serverTpm(), 0) : null;
        PriorityQueue<Long> slots = new PriorityQueue<>();
        for (int i = 0; i < s.concurrency(); i++) slots.add(0L);
        PriorityQueue<Call> ready = new PriorityQueue<>((a, b) -> a.readyNanos() != b.readyNanos()
                ? Long.compare(a.readyNanos(), b.readyNanos()) : Integer.compare(a.meeting(), b.meeting()));
        for (int i = 0; i < meetings.size(); i++) ready.add(new Call(0, i, 1));
        long last = 0;
        while (!ready.isEmpty()) {
            Call call = ready.poll();
            NewMeeting meeting = meetings.get(call.meeting());
            SimAnalyzer.Fault fault = SimAnalyzer.fault(sim, meeting.transcript(), call.number());
            Usage usage = SimAnalyzer.usageFor(meeting.transcript(), sim.maxOutputTokens());
            long cost = usage.inputTokens() + (fault == SimAnalyzer.Fault.NONE ? usage.outputTokens() : 0);
            long t = Math.max(call.readyNanos(), slots.poll());
            while (true) {
                long wait = Math.max(requests == null ? 0 : requests.nanosUntil(1, t),
                        tokens == null ? 0 : tokens.nanosUntil(cost, t));
                if (wait == 0) break;
                t += wait;
            }
            if (requests != null) requests.take(1, t);
            if (tokens != null) tokens.take(cost, t);
            long end = t + (fault == SimAnalyzer.Fault.HANG ? sim.timeout().toNanos()
                    : SimAnalyzer.latency(sim, meeting.transcript(), call.number()).toNanos());
            slots.add(end);
            if (fault == SimAnalyzer.Fault.NONE) last = Math.max(last, end);
            else ready.add(new Call(end, call.meeting(), call.number() + 1));
        }
        return last / 1e9;
    }
}
