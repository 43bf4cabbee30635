package io.minutes.providers.http;

import io.minutes.core.domain.RateLimitSnapshot;

import java.math.BigDecimal;
import java.net.http.HttpHeaders;
import java.time.Duration;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZonedDateTime;
import java.time.format.DateTimeFormatter;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Reads what providers say about their rate limits: OpenAI's {@code x-ratelimit-*} (resets as Go
 * durations: {@code 6m0s}, {@code 1s}, {@code 20ms}), Anthropic's {@code anthropic-ratelimit-*} (resets
 * as RFC 3339 instants) and the standard {@code retry-after} (seconds or an HTTP date) and
 * {@code retry-after-ms}. Values that cannot be read are left out, never guessed.
 */
public final class RateLimitHeaders {
    private static final Pattern GO_DURATION_PART = Pattern.compile("(\\d+(?:\\.\\d+)?)(ms|us|µs|ns|h|m|s)");

    private RateLimitHeaders() {
    }

    /** The rate-limit state one response reports; {@link RateLimitSnapshot#isEmpty()} when it says nothing. */
    public static RateLimitSnapshot snapshot(HttpHeaders headers, Instant now) {
        return new RateLimitSnapshot(now,
                number(headers, "x-ratelimit-limit-requests", "anthropic-ratelimit-requests-limit"),
                number(headers, "x-ratelimit-remaining-requests", "anthropic-ratelimit-requests-remaining"),
                reset(headers, now, "x-ratelimit-reset-requests", "anthropic-ratelimit-requests-reset"),
                number(headers, "x-ratelimit-limit-tokens", "anthropic-ratelimit-tokens-limit"),
                number(headers, "x-ratelimit-remaining-tokens", "anthropic-ratelimit-tokens-remaining"),
                reset(headers, now, "x-ratelimit-reset-tokens", "anthropic-ratelimit-tokens-reset"),
                number(headers, "anthropic-ratelimit-input-tokens-limit"),
                number(headers, "anthropic-ratelimit-input-tokens-remaining"),
                reset(headers, now, "anthropic-ratelimit-input-tokens-reset"),
                number(headers, "anthropic-ratelimit-output-tokens-limit"),
                number(headers, "anthropic-ratelimit-output-tokens-remaining"),
                reset(headers, now, "anthropic-ratelimit-output-tokens-reset"));
    }

    /**
     * How long the provider asks us to wait, or null when it does not say: {@code retry-after-ms},
     * then {@code retry-after}, then the longest reset of an allowance the headers say is used up
     * ({@code remaining} 0). A reset of an allowance that still has room is not a reason to wait: a 5xx
     * answered with every {@code x-ratelimit-reset-*} header (OpenAI sends them on every response) would
     * otherwise wait for the minute's allowance to refill rather than its backoff.
     */
    public static Duration retryAfter(HttpHeaders headers, Instant now) {
        Optional<String> ms = headers.firstValue("retry-after-ms");
        if (ms.isPresent()) {
            try {
                return nonNegative(Duration.ofNanos(new BigDecimal(ms.get().strip()).movePointRight(6).longValue()));
            } catch (NumberFormatException | ArithmeticException ignored) {
                // fall through to the next header
            }
        }
        Optional<String> retryAfter = headers.firstValue("retry-after");
        if (retryAfter.isPresent()) {
            Duration d = retryAfterValue(retryAfter.get().strip(), now);
            if (d != null) return d;
        }
        RateLimitSnapshot s = snapshot(headers, now);
        List<Duration> exhausted = new ArrayList<>();
        collect(s.requestsRemaining(), s.requestsReset(), exhausted);
        collect(s.tokensRemaining(), s.tokensReset(), exhausted);
        collect(s.inputTokensRemaining(), s.inputTokensReset(), exhausted);
        collect(s.outputTokensRemaining(), s.outputTokensReset(), exhausted);
        return exhausted.stream().max(Duration::compareTo).orElse(null);
    }

    /** {@code retry-after}: delay-seconds (RFC 9110; fractions tolerated) or an HTTP date. */
    static Duration retryAfterValue(String value, Instant now) {
        try {
            return nonNegative(Duration.ofNanos(new BigDecimal(value).movePointRight(9).longValue()));
        } catch (NumberFormatException | ArithmeticException notSeconds) {
            try {
                return nonNegative(Duration.between(now, ZonedDateTime.parse(value, DateTimeFormatter.RFC_1123_DATE_TIME).toInstant()));
            } catch (DateTimeParseException notADate) {
                return null;
            }
        }
    }

    /** Go's duration syntax as OpenAI sends it: {@code 6m0s}, {@code 1s}, {@code 20ms}, {@code 1h2m3.5s}. */
    static Duration goDuration(String value) {
        String v = value.strip();
        if (v.isEmpty()) return null;
        if (v.matches("\\d+(\\.\\d+)?")) return seconds(new BigDecimal(v));
        Matcher m = GO_DURATION_PART.matcher(v);
        Duration total = Duration.ZERO;
        int end = 0;
        while (m.find()) {
            if (m.start() != end) return null;
            BigDecimal n = new BigDecimal(m.group(1));
            total = total.plus(switch (m.group(2)) {
                case "h" -> seconds(n.multiply(BigDecimal.valueOf(3600)));
                case "m" -> seconds(n.multiply(BigDecimal.valueOf(60)));
                case "s" -> seconds(n);
                case "ms" -> Duration.ofNanos(n.movePointRight(6).longValue());
                case "us", "µs" -> Duration.ofNanos(n.movePointRight(3).longValue());
                default -> Duration.ofNanos(n.longValue());
            });
            end = m.end();
        }
        return end == v.length() ? total : null;
    }

    private static Duration reset(HttpHeaders headers, Instant now, String... names) {
        for (String name : names) {
            Optional<String> value = headers.firstValue(name);
            if (value.isEmpty()) continue;
            String v = value.get().strip();
            Duration d = v.contains("T") ? untilInstant(v, now) : goDuration(v);
            if (d != null) return nonNegative(d);
        }
        return null;
    }

    private static Duration untilInstant(String rfc3339, Instant now) {
        try {
            return Duration.between(now, OffsetDateTime.parse(rfc3339).toInstant());
        } catch (DateTimeParseException e) {
            return null;
        }
    }

    private static Long number(HttpHeaders headers, String... names) {
        for (String name : names) {
            Optional<String> value = headers.firstValue(name);
            if (value.isEmpty()) continue;
            try {
                return Long.parseLong(value.get().strip());
            } catch (NumberFormatException ignored) {
                // a malformed value says nothing
            }
        }
        return null;
    }

    private static void collect(Long remaining, Duration reset, List<Duration> exhausted) {
        if (reset != null && remaining != null && remaining <= 0) exhausted.add(reset);
    }

    private static Duration seconds(BigDecimal n) {
        return Duration.ofNanos(n.movePointRight(9).longValue());
    }

    private static Duration nonNegative(Duration d) {
        return d.isNegative() ? Duration.ZERO : d;
    }
}
