package io.minutes.app.config;

import io.minutes.core.engine.EngineSettings;
import io.minutes.core.engine.RetryPolicy;
import io.minutes.core.ingest.Ingestor;

import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** Every setting Minutes has, with its default: the one place the README's configuration table comes from. */
public final class Settings {
    private Settings() {
    }

    public static final Setting<Path> CONFIG = new Setting<>("config", "FILE",
            "Config file (Java properties: key = value, keys are the option names without --). Used when it exists.",
            "./minutes.properties", Path::of, false);

    public static final Setting<DbLocation> DB = new Setting<>("db", "PATH|URL",
            "Where the queue and every result live (a rerun resumes from it): a SQLite file, or a PostgreSQL database "
                    + "that many workers share, postgresql://user[:password]@host:port/db or jdbc:postgresql://host:port/db?user=...",
            "./minutes-data/minutes.db", DbLocation::parse, true);

    public static final Setting<Path> OUT = new Setting<>("out", "DIR",
            "Where minutes are written: <name>.json, <name>.md and batch.json.",
            "./minutes-out", Path::of, false);

    public static final Setting<String> PROVIDER = new Setting<>("provider", "NAME",
            "Who writes the minutes: local (built-in offline analyzer) or sim (simulated remote provider for tests and benchmarks).",
            "local", oneOf("local", "sim"), false);

    public static final Setting<Integer> CONCURRENCY = new Setting<>("concurrency", "N",
            "Most meetings processed at once.",
            String.valueOf(EngineSettings.DEFAULT_CONCURRENCY), intAtLeast(1, 10_000), false);

    public static final Setting<Integer> MAX_ATTEMPTS = new Setting<>("max-attempts", "N",
            "Attempts per meeting in all, including the first; transient failures are retried until then.",
            String.valueOf(RetryPolicy.DEFAULT_MAX_ATTEMPTS), intAtLeast(1, 100), false);

    public static final Setting<Duration> RETRY_BASE_DELAY = new Setting<>("retry-base-delay", "DURATION",
            "Backoff before the 2nd attempt; doubles each attempt, with full jitter (e.g. 500ms, 2s, 1m).",
            "1s", Settings::duration, false);

    public static final Setting<Duration> RETRY_MAX_DELAY = new Setting<>("retry-max-delay", "DURATION",
            "Longest backoff between two attempts.", "60s", Settings::duration, false);

    public static final Setting<Duration> LEASE = new Setting<>("lease", "DURATION",
            "How long a claimed meeting stays with a worker without a heartbeat before another may take it.",
            "30s", Settings::duration, false);

    public static final Setting<Integer> MIN_TRANSCRIPT_CHARS = new Setting<>("min-transcript-chars", "N",
            "Transcripts with fewer characters of speech are skipped.",
            String.valueOf(Ingestor.DEFAULT_MIN_TRANSCRIPT_CHARS), intAtLeast(0, 1_000_000), false);

    public static final Setting<Integer> SIM_LATENCY_MS = new Setting<>("sim-latency-ms", "N",
            "sim provider: milliseconds each call takes.", "0", intAtLeast(0, 3_600_000), false);

    public static final Setting<Double> SIM_ERROR_RATE = new Setting<>("sim-error-rate", "F",
            "sim provider: share of calls that fail with a transient error, 0..1.", "0", Settings::fraction, false);

    public static final Setting<String> LOG_LEVEL = new Setting<>("log-level", "LEVEL",
            "Log level on stderr: error, warn, info, debug.", "warn", oneOf("error", "warn", "info", "debug"), false);

    public static final List<Setting<?>> ALL = List.of(CONFIG, DB, OUT, PROVIDER, CONCURRENCY, MAX_ATTEMPTS,
            RETRY_BASE_DELAY, RETRY_MAX_DELAY, LEASE, MIN_TRANSCRIPT_CHARS, SIM_LATENCY_MS, SIM_ERROR_RATE, LOG_LEVEL);

    static java.util.function.Function<String, String> oneOf(String... allowed) {
        Set<String> values = Set.of(allowed);
        return raw -> {
            String v = raw.toLowerCase(Locale.ROOT);
            if (!values.contains(v)) {
                throw new IllegalArgumentException("must be one of " + String.join(", ", allowed) + ", got '" + raw + "'");
            }
            return v;
        };
    }

    static java.util.function.Function<String, Integer> intAtLeast(int min, int max) {
        return raw -> {
            int v;
            try {
                v = Integer.parseInt(raw.replace("_", ""));
            } catch (NumberFormatException e) {
                throw new IllegalArgumentException("must be a whole number, got '" + raw + "'");
            }
            if (v < min || v > max) throw new IllegalArgumentException("must be between " + min + " and " + max + ", got " + v);
            return v;
        };
    }

    static double fraction(String raw) {
        double v;
        try {
            v = Double.parseDouble(raw);
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException("must be a number between 0 and 1, got '" + raw + "'");
        }
        if (!(v >= 0 && v <= 1)) throw new IllegalArgumentException("must be between 0 and 1, got " + raw);
        return v;
    }

    private static final Pattern DURATION = Pattern.compile("(\\d+)(ms|s|m|h)?");

    /** 500ms, 2s, 1m, 1h; a bare number is seconds. */
    static Duration duration(String raw) {
        Matcher m = DURATION.matcher(raw.toLowerCase(Locale.ROOT));
        if (!m.matches()) throw new IllegalArgumentException("must be a duration like 500ms, 2s, 1m or 1h, got '" + raw + "'");
        long n = Long.parseLong(m.group(1));
        String unit = m.group(2) == null ? "s" : m.group(2);
        return switch (unit) {
            case "ms" -> Duration.ofMillis(n);
            case "m" -> Duration.ofMinutes(n);
            case "h" -> Duration.ofHours(n);
            default -> Duration.ofSeconds(n);
        };
    }
}
