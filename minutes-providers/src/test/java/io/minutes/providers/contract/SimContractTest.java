package io.minutes.providers.contract;

import com.fasterxml.jackson.databind.JsonNode;
import io.minutes.core.port.Analyzer;
import io.minutes.core.port.RateLimitObserver;
import io.minutes.providers.sim.EnforcedLimit;
import io.minutes.providers.sim.SimAnalyzer;

import java.time.Duration;
import java.util.List;

import static org.junit.jupiter.api.Assumptions.abort;

/** The contract for the in-process {@code sim} provider: what it emulates, it must do like the real ones. */
class SimContractTest extends AnalyzerContract {
    private double errorRate;

    @Override
    protected String backend() {
        return "sim";
    }

    @Override
    protected Analyzer newAnalyzer(RateLimitObserver observer, long contextTokens) {
        return new SimAnalyzer(new SimAnalyzer.Settings(Duration.ZERO, Duration.ZERO, errorRate, 0, SimAnalyzer.Settings.DEFAULT_TIMEOUT, 0, 0,
                SimAnalyzer.Settings.DEFAULT_MAX_OUTPUT_TOKENS, 42, EnforcedLimit.Window.SECOND));
    }

    @Override
    protected void stubAnswer(String marker, JsonNode answer) {
        if (marker != null) abort("sim: answers are made from the transcript; it has no context window to exceed");
    }

    @Override
    protected void stubInvalidThenValid(JsonNode invalid, JsonNode valid) {
        abort("sim: never answers invalid minutes, so there is nothing to repair");
    }

    @Override
    protected void stubError(ProviderError error) {
        if (error != ProviderError.SERVER_ERROR) abort("sim: emulates only transient server errors, not " + error);
        errorRate = 1.0;
    }

    @Override
    protected void stubContextWindow(int maxBodyChars) {
        abort("sim: has no context window");
    }

    @Override
    protected void stubTruncated() {
        abort("sim: has no output limit");
    }

    @Override
    protected List<String> userPrompts() {
        return List.of();
    }

    @Override
    protected List<String> answeredUserPrompts() {
        return List.of();
    }

    @Override
    protected List<String> requestBodies() {
        return List.of();
    }

    @Override
    protected void remoteOnly(String why) {
        abort("sim: " + why);
    }
}
