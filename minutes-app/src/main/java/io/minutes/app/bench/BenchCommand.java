package io.minutes.app.bench;

import io.minutes.app.Main;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

import java.io.PrintWriter;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.Callable;

/** {@code minutes bench}: the scheduler against a rate-limited sim provider, with the naive one beside it. */
@Command(name = "bench", mixinStandardHelpOptions = true, sortOptions = false,
        description = {
                "Run the scheduling scenarios end to end (real engine, SQLite store in a temporary file, the sim "
                        + "provider enforcing RPM/TPM per second with 429s) and print, per scenario and scheduler: "
                        + "meetings, wall time, the theoretical minimum, efficiency = minimum / wall, 429s, retries, "
                        + "lost and duplicated meetings.",
                "Scenarios: rpm-bound, tpm-bound, faults, unknown-limits, fairness. Takes a few minutes; --quick "
                        + "runs smaller ones in seconds."})
public final class BenchCommand implements Callable<Integer> {

    @Spec
    CommandSpec spec;

    @Option(names = "--scheduler", paramLabel = "WHICH",
            description = "throttle (admission by requests and tokens, 429 feedback, adaptive concurrency), naive "
                    + "(5 at a time and a sliding-window RPM limiter) or both. Default: both.")
    String scheduler = "both";

    @Option(names = "--scenario", paramLabel = "NAME", split = ",",
            description = "Only these scenarios (comma-separated). Default: all.")
    List<String> only;

    @Option(names = "--quick", description = "Smaller, faster scenarios (seconds, for tests).")
    boolean quick;

    @Option(names = "--seed", paramLabel = "N", description = "Seed of the sim provider and the transcripts. Default: 42.")
    long seed = 42;

    @Override
    public Integer call() throws InterruptedException {
        PrintWriter out = spec.commandLine().getOut();
        PrintWriter err = spec.commandLine().getErr();
        List<Bench.Scheduler> schedulers = switch (scheduler.toLowerCase(Locale.ROOT)) {
            case "both" -> List.of(Bench.Scheduler.THROTTLE, Bench.Scheduler.NAIVE);
            case "throttle" -> List.of(Bench.Scheduler.THROTTLE);
            case "naive" -> List.of(Bench.Scheduler.NAIVE);
            default -> null;
        };
        if (schedulers == null) {
            err.println("minutes: --scheduler must be throttle, naive or both, got '" + scheduler + "'");
            return Main.EXIT_USAGE;
        }
        List<Scenario> scenarios = new ArrayList<>();
        for (Scenario s : Scenario.all(quick)) if (only == null || only.contains(s.name())) scenarios.add(s);
        if (only != null && scenarios.size() != only.size()) {
            err.println("minutes: unknown scenario in " + only + "; known: "
                    + Scenario.all(quick).stream().map(Scenario::name).toList());
            return Main.EXIT_USAGE;
        }
        Bench bench = new Bench(seed);
        if (!quick) bench.warmUp();
        out.println(header());
        out.flush();
        boolean correct = true;
        for (Scenario s : scenarios) {
            for (Bench.Scheduler k : schedulers) {
                Bench.Result r = bench.run(s, k);
                out.println(row(r));
                if (!r.note().isEmpty()) out.println("    " + r.note());
                out.flush();
                correct &= r.lost() == 0 && r.duplicated() == 0;
            }
        }
        return correct ? Main.EXIT_OK : Main.EXIT_FAILED_MEETINGS;
    }

    static String header() {
        return String.format("%-15s %-9s %8s %9s %9s %10s %12s %8s %5s %10s",
                "scenario", "scheduler", "meetings", "wall s", "minimum s", "efficiency", "429s", "retries", "lost",
                "duplicated");
    }

    static String row(Bench.Result r) {
        String refused = String.format("%d (%.1f%%)", r.refused(), r.calls() == 0 ? 0 : 100.0 * r.refused() / r.calls());
        // a run that lost meetings did less work than the minimum assumes: its efficiency means nothing
        String efficiency = r.lost() > 0 ? "n/a" : String.format(Locale.ROOT, "%.2f", r.efficiency());
        return String.format(Locale.ROOT, "%-15s %-9s %8d %9.2f %9.2f %10s %12s %8d %5d %10d",
                r.scenario().name(), r.scheduler().label, r.meetings(), r.wallSeconds(), r.minimumSeconds(),
                efficiency, refused, r.retries(), r.lost(), r.duplicated());
    }
}
