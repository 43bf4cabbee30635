package io.minutes.app.config;

import io.minutes.core.engine.RateLimits;
import io.minutes.core.engine.Throttle;

import java.util.List;

/** The rate-limit section: rpm, tpm, input-tpm, output-tpm and rate-window, as the throttle takes them. */
public record RateLimitSection(RateLimits limits, Throttle.Window window) {

    public static final Section SECTION = Section.of("rate limits",
            Settings.RPM, Settings.TPM, Settings.INPUT_TPM, Settings.OUTPUT_TPM, Settings.RATE_WINDOW);

    public static RateLimitSection of(Config config) {
        return new RateLimitSection(new RateLimits(config.get(Settings.RPM), config.get(Settings.TPM),
                config.get(Settings.INPUT_TPM), config.get(Settings.OUTPUT_TPM)),
                "second".equals(config.get(Settings.RATE_WINDOW)) ? Throttle.Window.SECOND : Throttle.Window.AUTO);
    }
}
