package io.minutes.app.bench;

import io.minutes.app.cli.ExitStatus;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

import io.minutes.providers.sim.EnforcedLimit;

import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.EnumSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.Callable;

/**
 * {@code minutes bench}: the throttle against a rate-limited sim provider, with a generic queue's
 * limiter beside it in the same run. Exits 0 when the throttle met its bar in every scenario.
 */
@Command(name = "bench", mixinStandardHelpOptions = true, sortOptions = false,
        description = {
                "Run the scheduling scenarios end to end (real engine, SQLite store in a temporary file, the sim "
                        + "provider enforcing its limits over a 60 s sliding window, per second or as a minute's token "
                        + "bucket, answering 429s as OpenAI does) and print, per scenario and scheduler: meetings, wall "
                        + "time, the floor (the earliest finish any client could reach under what the sim enforces, at "
                        + "the same concurrency), efficiency = floor / wall, 429s and their episodes, retries, lost and "
                        + "billed-twice meetings.",
                "The baseline paces a minute's limit over a 60 s window as a generic job queue does (BullMQ's "
                        + "limiter). The throttle's bar, per scenario: efficiency >= 0.95 and >= the baseline's (less 0.02 "
                        + "of one run's noise), nothing "
                        + "lost or billed twice, at most one 429 episode where the sim quantises per second. The auto "
                        + "row is the throttle with --concurrency auto (up to 100 in flight), against the same floor: "
                        + "its bar is >= 0.95 and >= the fixed concurrency's (less the noise). Exit 0 "
                        + "when they met the bar everywhere, 1 when not.",
                "Scenarios: sliding-window, quantised, token-bucket, tpm-bound, unknown-limits, faults, fairness "
                        + "(fairness is not judged against a floor). Takes about 30 minutes on 2 cores (a third of "
                        + "it the baseline reaching its deadline where the window is quantised); --quick runs a tenth of "
                        + "each in seconds, where start-up dominates: its efficiencies are not comparable and only "
                        + "lost / billed twice are judged."})
public final class BenchCommand implements Callable<Integer> {
    static final double BAR = 0.95;
    /**
     * Where both schedulers are held by the same concurrency (nothing to schedule better), one run's
     * noise on a busy machine moves either by about 0.01: the throttle must not fall below the
     * baseline by more than this.
     */
    static final double NOISE = 0.02;

    @Spec
    CommandSpec spec;

    @Option(names = "--scheduler", paramLabel = "WHICH", split = ",",
            description = "throttle (at the scenario's concurrency), auto (the throttle with --concurrency auto), "
                    + "baseline (a minute's limit over a 60 s window, as a generic queue), both (throttle and "
                    + "baseline) or all; comma-separated. Default: all.")
    List<String> scheduler = List.of("all");

    @Option(names = "--scenario", paramLabel = "NAME", split = ",",
            description = "Only these scenarios (comma-separated). Default: all.")
    List<String> only;

    @Option(names = "--quick", description = "A tenth of each scenario, short calls: seconds, for tests. Its "
            + "efficiencies are not comparable with the full bench's.")
    boolean quick;

    @Option(names = "--seed", paramLabel = "N", description = "Seed of the sim provider and the transcripts. Default: 42.")
    long seed = 42;

    @Override
    public Integer call() throws InterruptedException {
        PrintWriter out = spec.commandLine().getOut();
        PrintWriter err = spec.commandLine().getErr();
        EnumSet<Bench.Scheduler> chosen = EnumSet.noneOf(Bench.Scheduler.class);
        for (String name : scheduler) {
            switch (name.strip().toLowerCase(Locale.ROOT)) {
                case "all" -> chosen.addAll(List.of(Bench.Scheduler.values()));
                case "both" -> chosen.addAll(List.of(Bench.Scheduler.THROTTLE, Bench.Scheduler.BASELINE));
                case "throttle" -> chosen.add(Bench.Scheduler.THROTTLE);
                case "auto" -> chosen.add(Bench.Scheduler.AUTO);
                case "baseline" -> chosen.add(Bench.Scheduler.BASELINE);
                default -> {
                    err.println("minutes: --scheduler must be throttle, auto, baseline, both or all, got '" + name + "'");
                    return ExitStatus.USAGE;
                }
            }
        }
        List<Bench.Scheduler> schedulers = List.copyOf(chosen);
        List<Scenario> scenarios = new ArrayList<>();
        for (Scenario s : Scenario.all(quick)) if (only == null || only.contains(s.name())) scenarios.add(s);
        if (only != null && scenarios.size() != only.size()) {
            err.println("minutes: unknown scenario in " + only + "; known: "
                    + Scenario.all(quick).stream().map(Scenario::name).toList());
            return ExitStatus.USAGE;
        }
        out.println("seed " + seed + "; load average " + loadAverage() + "; " + Runtime.getRuntime().availableProcessors()
                + " cores");
        if (quick) {
            out.println("--quick: a tenth of each scenario with short calls; start-up dominates, so these efficiencies "
                    + "are not comparable with the full bench's and are not judged (lost and billed twice are)");
        }
        Bench bench = new Bench(seed);
        if (!quick) bench.warmUp();
        out.println(header());
        out.flush();
        List<String> misses = new ArrayList<>();
        for (Scenario s : scenarios) {
            Map<Bench.Scheduler, Bench.Result> results = new EnumMap<>(Bench.Scheduler.class);
            for (Bench.Scheduler k : schedulers) {
                Bench.Result r = bench.run(s, k);
                out.println(row(r));
                if (!r.note().isEmpty()) out.println("    " + r.note());
                out.flush();
                results.put(k, r);
            }
            Bench.Result baseline = results.get(Bench.Scheduler.BASELINE);
            if (results.containsKey(Bench.Scheduler.THROTTLE)) {
                misses.addAll(misses(results.get(Bench.Scheduler.THROTTLE), baseline, quick));
            }
            if (results.containsKey(Bench.Scheduler.AUTO)) {
                misses.addAll(autoMisses(results.get(Bench.Scheduler.AUTO), results.get(Bench.Scheduler.THROTTLE), quick));
            }
        }
        out.println("load average " + loadAverage());
        if (misses.isEmpty()) {
            out.println(schedulers.equals(List.of(Bench.Scheduler.BASELINE)) ? "" : "the throttle met its bar in every scenario");
            return ExitStatus.OK;
        }
        out.println("the throttle missed its bar:");
        for (String miss : misses) out.println("  " + miss);
        return ExitStatus.FAILED_MEETINGS;
    }

    /** Where the throttle's run falls short of its bar; empty when it met it. */
    static List<String> misses(Bench.Result t, Bench.Result baseline, boolean quick) {
        List<String> misses = new ArrayList<>();
        String name = t.scenario().name();
        if (t.lost() > 0) misses.add(name + ": " + t.lost() + " meetings lost");
        if (t.duplicated() > 0) misses.add(name + ": " + t.duplicated() + " meetings billed twice");
        if (quick || t.scenario().fairness()) return misses;
        if (t.efficiency() < BAR) misses.add(String.format(Locale.ROOT, "%s: efficiency %.2f < %.2f", name, t.efficiency(), BAR));
        if (baseline != null && baseline.lost() == 0 && t.efficiency() < baseline.efficiency() - NOISE) {
            misses.add(String.format(Locale.ROOT, "%s: efficiency %.2f < the baseline's %.2f (less %.2f of noise)", name,
                    t.efficiency(), baseline.efficiency(), NOISE));
        }
        if (t.scenario().window() == EnforcedLimit.Window.SECOND && t.episodes() > 1) {
            misses.add(name + ": " + t.episodes() + " 429 episodes where the window is quantised (at most 1)");
        }
        return misses;
    }

    /**
     * Auto concurrency must never be what holds the rate back: nothing lost or billed twice, and, where
     * the scenario is not about fairness, no slower than the throttle at the scenario's concurrency (less
     * one run's noise). It may be faster: the floor is the scenario's concurrency's.
     */
    static List<String> autoMisses(Bench.Result auto, Bench.Result fixed, boolean quick) {
        List<String> misses = new ArrayList<>();
        String name = auto.scenario().name() + " (auto)";
        if (auto.lost() > 0) misses.add(name + ": " + auto.lost() + " meetings lost");
        if (auto.duplicated() > 0) misses.add(name + ": " + auto.duplicated() + " meetings billed twice");
        if (quick || auto.scenario().fairness()) return misses;
        if (auto.efficiency() < BAR) misses.add(String.format(Locale.ROOT, "%s: efficiency %.2f < %.2f", name, auto.efficiency(), BAR));
        if (fixed != null && auto.efficiency() < fixed.efficiency() - NOISE) {
            misses.add(String.format(Locale.ROOT, "%s: efficiency %.2f < %.2f at concurrency %d (less %.2f of noise)",
                    name, auto.efficiency(), fixed.efficiency(), fixed.scenario().concurrency(), NOISE));
        }
        return misses;
    }

    static String loadAverage() {
        try {
            String[] parts = Files.readString(Path.of("/proc/loadavg")).split("\\s+");
            return parts[0] + " " + parts[1] + " " + parts[2];
        } catch (IOException | RuntimeException e) {
            return "unknown";
        }
    }

    static String header() {
        return String.format("%-15s %-9s %8s %9s %9s %10s %12s %8s %8s %5s %10s",
                "scenario", "scheduler", "meetings", "wall s", "floor s", "efficiency", "429s", "episodes", "retries",
                "lost", "duplicated");
    }

    static String row(Bench.Result r) {
        String refused = String.format("%d (%.1f%%)", r.refused(), r.calls() == 0 ? 0 : 100.0 * r.refused() / r.calls());
        // a run that lost meetings did less work than the floor assumes: its efficiency means nothing
        String efficiency = r.lost() > 0 ? "n/a" : String.format(Locale.ROOT, "%.2f", r.efficiency());
        return String.format(Locale.ROOT, "%-15s %-9s %8d %9.2f %9.2f %10s %12s %8d %8d %5d %10d",
                r.scenario().name(), r.scheduler().label, r.meetings(), r.wallSeconds(), r.minimumSeconds(),
                efficiency, refused, r.episodes(), r.retries(), r.lost(), r.duplicated());
    }
}
