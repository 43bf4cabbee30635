package io.minutes.server;

import com.fasterxml.jackson.databind.JsonNode;
import io.minutes.core.domain.OnDuplicate;
import io.minutes.core.domain.Submission;
import io.minutes.core.domain.Tier;
import io.minutes.server.ApiException.FieldError;

import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Locale;
import java.util.Set;

/**
 * Reads and checks the fields a submission shares between JSON and multipart: tier, on_duplicate
 * and options. Every problem is collected with its JSON pointer, so one 400 lists them all.
 */
final class SubmissionRequest {
    static final Set<String> PRIORITIES = Set.of("high", "normal", "low");
    static final Set<String> OPTIONS = Set.of("priority", "max_attempts");
    static final int MAX_ATTEMPTS_LIMIT = 100;

    final List<FieldError> errors = new ArrayList<>();

    Tier tier(String value, String pointer) {
        if (value == null) return Tier.ORDINARY;
        try {
            return Tier.fromWire(value.strip());
        } catch (IllegalArgumentException e) {
            errors.add(new FieldError(pointer, "must be ordinary or sensitive, got '" + value + "'"));
            return Tier.ORDINARY;
        }
    }

    OnDuplicate onDuplicate(String value, String pointer) {
        if (value == null) return OnDuplicate.SKIP;
        try {
            return OnDuplicate.fromWire(value.strip());
        } catch (IllegalArgumentException e) {
            errors.add(new FieldError(pointer, "must be skip, replace or allow_duplicates, got '" + value + "'"));
            return OnDuplicate.SKIP;
        }
    }

    /** @param options the options object, or null when none was given */
    Submission submission(String tenant, OnDuplicate onDuplicate, JsonNode options) {
        String priority = "normal";
        Integer maxAttempts = null;
        if (options != null && !options.isNull()) {
            if (!options.isObject()) {
                errors.add(new FieldError("/options", "must be an object such as {\"priority\": \"high\"}"));
            } else {
                for (Iterator<String> names = options.fieldNames(); names.hasNext(); ) {
                    String name = names.next();
                    if (!OPTIONS.contains(name)) {
                        errors.add(new FieldError("/options/" + name, "unknown option; known: " + String.join(", ", OPTIONS.stream().sorted().toList())));
                    }
                }
                JsonNode p = options.get("priority");
                if (p != null && !p.isNull()) {
                    if (p.isTextual() && PRIORITIES.contains(p.asText().toLowerCase(Locale.ROOT))) {
                        priority = p.asText().toLowerCase(Locale.ROOT);
                    } else {
                        errors.add(new FieldError("/options/priority", "must be high, normal or low, got " + p));
                    }
                }
                JsonNode m = options.get("max_attempts");
                if (m != null && !m.isNull()) {
                    if (m.isIntegralNumber() && m.asInt() >= 1 && m.asInt() <= MAX_ATTEMPTS_LIMIT) {
                        maxAttempts = m.asInt();
                    } else {
                        errors.add(new FieldError("/options/max_attempts", "must be a whole number from 1 to " + MAX_ATTEMPTS_LIMIT + ", got " + m));
                    }
                }
            }
        }
        return new Submission(tenant, onDuplicate, priority, maxAttempts);
    }

    void check() {
        if (!errors.isEmpty()) throw ApiException.invalid(errors);
    }
}
