package io.minutes.app.cli;

import io.minutes.app.output.Json;
import io.minutes.core.engine.Estimator;
import io.minutes.core.domain.Lane;
import io.minutes.core.lane.LanePlanner;

import java.io.PrintWriter;
import java.time.Duration;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/** {@code minutes estimate}'s quote of the lane plan: a table per meeting and the totals, or the same as JSON. */
final class LaneQuote {
    private LaneQuote() {
    }

    static void print(PrintWriter out, LanePlanner.Plan plan) {
        out.printf(Locale.ROOT, "lane            %s%s%n", plan.choice().wireName(), plan.deadline() == null ? ", no deadline"
                : ", deadline " + plan.deadline() + " (in " + LanePlanner.human(Duration.between(plan.at(), plan.deadline()))
                  + "), buffer " + LanePlanner.human(plan.buffer()));
        out.printf(Locale.ROOT, "plan            %s%n", plan.why());
        int width = Math.max(20, plan.meetings().stream().mapToInt(m -> m.id().length()).max().orElse(0));
        out.printf(Locale.ROOT, "  %-" + width + "s  %-8s  %10s  %10s  %s%n", "meeting", "lane", "list $", "planned $", "note");
        for (LanePlanner.Planned m : plan.meetings()) {
            out.printf(Locale.ROOT, "  %-" + width + "s  %-8s  %10.4f  %10.4f  %s%n", m.id(), m.lane().wireName(), m.listUsd(),
                    m.plannedUsd(), m.why() == null ? "" : m.why());
        }
        out.printf(Locale.ROOT, "lanes           %d batch, %d flex, %d realtime%n", plan.count(Lane.BATCH), plan.count(Lane.FLEX),
                plan.count(Lane.REALTIME));
        out.printf(Locale.ROOT, "list price      $%.4f at most%n", plan.listUsd());
        out.printf(Locale.ROOT, "planned price   $%.4f at most%n", plan.plannedUsd());
        out.printf(Locale.ROOT, "saving          $%.4f (%.0f%%)%n", plan.savedUsd(),
                plan.listUsd() == 0 ? 0.0 : 100 * plan.savedUsd() / plan.listUsd());
        out.printf(Locale.ROOT, "done            expected by %s (in %s)%s%n", plan.expectedFinish(),
                LanePlanner.human(Duration.between(plan.at(), plan.expectedFinish())),
                plan.latestFinish().equals(plan.expectedFinish()) ? ""
                        : ", at the latest by " + plan.latestFinish() + " (in "
                          + LanePlanner.human(Duration.between(plan.at(), plan.latestFinish())) + ")");
        if (plan.cutOver() != null) {
            out.printf(Locale.ROOT, "cut-over        %s: what still waits in a provider batch or for flex runs realtime%n", plan.cutOver());
        }
        if (plan.count(Lane.BATCH) > 0) {
            out.printf(Locale.ROOT, "batch latency   %s, %s%n", LanePlanner.human(plan.batchLatency()), plan.batchLatencyMeasured()
                    ? "the 95th percentile of this provider's batches seen in the store"
                    : "assumed (batch-latency-assumed): no batch of this provider has ended in the store yet");
        }
        if (!plan.meetsDeadline()) {
            out.println("warning         even realtime alone cannot be done by the deadline: it runs realtime, as fast as the limits allow");
        }
    }

    static Map<String, Object> json(Estimator.Estimate e, String provider, LanePlanner.Plan plan) {
        Map<String, Object> root = new LinkedHashMap<>();
        root.put("provider", provider);
        root.put("meetings", e.meetings());
        root.put("cached", e.cached());
        root.put("duplicates", e.duplicates());
        root.put("recordings", e.recordings());
        root.put("not_sent", e.notSent());
        root.put("input_tokens", e.inputTokens());
        root.put("max_output_tokens", e.maxOutputTokens());
        root.put("max_cost_usd", e.maxCostUsd());
        root.put("seconds", e.seconds());
        Map<String, Object> p = new LinkedHashMap<>();
        p.put("lane", plan.choice().wireName());
        p.put("deadline", text(plan.deadline()));
        p.put("buffer_seconds", plan.buffer().toSeconds());
        p.put("why", plan.why());
        p.put("list_usd", plan.listUsd());
        p.put("planned_usd", plan.plannedUsd());
        p.put("saved_usd", plan.savedUsd());
        Map<String, Integer> lanes = new LinkedHashMap<>();
        for (Lane lane : Lane.values()) lanes.put(lane.wireName(), plan.count(lane));
        p.put("lanes", lanes);
        p.put("expected_finish", text(plan.expectedFinish()));
        p.put("latest_finish", text(plan.latestFinish()));
        p.put("cut_over", text(plan.cutOver()));
        p.put("meets_deadline", plan.meetsDeadline());
        p.put("batch_latency_seconds", plan.batchLatency().toSeconds());
        p.put("batch_latency_measured", plan.batchLatencyMeasured());
        List<Map<String, Object>> meetings = plan.meetings().stream().map(m -> {
            Map<String, Object> one = new LinkedHashMap<>();
            one.put("source", m.id());
            one.put("lane", m.lane().wireName());
            one.put("list_usd", m.listUsd());
            one.put("planned_usd", m.plannedUsd());
            one.put("why", m.why());
            return one;
        }).toList();
        p.put("meetings", meetings);
        root.put("plan", p);
        return root;
    }

    static void printJson(PrintWriter out, Estimator.Estimate e, String provider, LanePlanner.Plan plan) {
        try {
            out.println(Json.MAPPER.writeValueAsString(json(e, provider, plan)));
        } catch (com.fasterxml.jackson.core.JsonProcessingException x) {
            throw new IllegalStateException("could not write the estimate as JSON", x);
        }
        out.flush();
    }

    private static String text(Instant instant) {
        return instant == null ? null : instant.toString();
    }
}
