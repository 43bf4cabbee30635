package io.minutes.app.config;

import io.minutes.providers.sim.EnforcedLimit;
import io.minutes.providers.sim.SimAnalyzer;

import java.time.Duration;

/** The sim section: how the simulated provider behaves, as {@link SimAnalyzer.Settings}. */
public final class SimSection {
    private SimSection() {
    }

    public static final Section SECTION = Section.of("sim", Settings.SIM_LATENCY_MS, Settings.SIM_LATENCY_SD_MS,
            Settings.SIM_ERROR_RATE, Settings.SIM_HANG_RATE, Settings.SIM_TIMEOUT, Settings.SIM_RPM, Settings.SIM_TPM,
            Settings.SIM_WINDOW);

    /** A fresh random seed each time: two runs of the same settings see different latencies and errors. */
    public static SimAnalyzer.Settings settings(Config config) {
        return new SimAnalyzer.Settings(Duration.ofMillis(config.get(Settings.SIM_LATENCY_MS)),
                Duration.ofMillis(config.get(Settings.SIM_LATENCY_SD_MS)), config.get(Settings.SIM_ERROR_RATE),
                config.get(Settings.SIM_HANG_RATE), config.get(Settings.SIM_TIMEOUT), config.get(Settings.SIM_RPM),
                config.get(Settings.SIM_TPM), SimAnalyzer.Settings.DEFAULT_MAX_OUTPUT_TOKENS, System.nanoTime(),
                EnforcedLimit.Window.fromWire(config.get(Settings.SIM_WINDOW)));
    }
}
