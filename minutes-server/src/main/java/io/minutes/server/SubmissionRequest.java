package io.minutes.server;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.minutes.core.lane.LaneChoice;
import io.minutes.core.domain.OnDuplicate;
import io.minutes.core.domain.Submission;
import io.minutes.core.style.LanguageChoice;
import io.minutes.core.style.MinutesStyle;
import io.minutes.core.style.Stylist;
import io.minutes.core.domain.Tier;
import io.minutes.core.lane.Deadline;
import io.minutes.server.ApiException.FieldError;

import java.time.Instant;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;

/**
 * Reads and checks the fields a submission shares between JSON and multipart: tier, on_duplicate
 * and options. Every problem is collected with its JSON pointer, so one 400 lists them all.
 */
final class SubmissionRequest {
    static final Set<String> PRIORITIES = Set.of("high", "normal", "low");
    static final Set<String> OPTIONS = Set.of("priority", "max_attempts", "budget_usd", "allow_over_budget", "lane",
            "deadline", "language", "template");
    /** The options a multipart upload may also give as fields of their own. */
    static final List<String> OPTION_FIELDS = List.of("budget_usd", "allow_over_budget");
    static final int MAX_ATTEMPTS_LIMIT = 100;

    final List<FieldError> errors = new ArrayList<>();
    /** The lane options.lane asks for (realtime when not given), read by {@link #submission}. */
    LaneChoice lane = LaneChoice.REALTIME;
    /** The templates the service knows, for options.template. */
    private final Stylist stylist;

    SubmissionRequest(Stylist stylist) {
        this.stylist = stylist;
    }

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

    /**
     * The options of an upload: its {@code options} JSON field with the options given as fields of their
     * own ({@code fields}: name to raw value, null when absent) added. An option given both ways is an error.
     */
    JsonNode withOptionFields(JsonNode options, Map<String, String> fields) {
        if (options != null && !options.isNull() && !options.isObject()) return options; // submission() says what is wrong
        ObjectNode merged = options != null && options.isObject() ? ((ObjectNode) options).deepCopy() : Views.JSON.createObjectNode();
        for (Map.Entry<String, String> field : fields.entrySet()) {
            String name = field.getKey();
            String raw = field.getValue();
            if (raw == null) continue;
            if (merged.has(name)) {
                errors.add(new FieldError("/" + name, "given both as a field and in options; give it once"));
            } else if (name.equals("budget_usd")) {
                try {
                    merged.put(name, Double.parseDouble(raw.strip()));
                } catch (NumberFormatException e) {
                    errors.add(new FieldError("/" + name, "must be a number of USD, 0 or more, got '" + raw + "'"));
                }
            } else if (raw.strip().equalsIgnoreCase("true") || raw.strip().equalsIgnoreCase("false")) {
                merged.put(name, Boolean.parseBoolean(raw.strip()));
            } else {
                errors.add(new FieldError("/" + name, "must be true or false, got '" + raw + "'"));
            }
        }
        return merged;
    }

    /** @param options the options object, or null when none was given */
    Submission submission(String tenant, OnDuplicate onDuplicate, JsonNode options) {
        String priority = "normal";
        Integer maxAttempts = null;
        Double budgetUsd = null;
        boolean allowOverBudget = false;
        MinutesStyle style = null;
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
                JsonNode b = options.get("budget_usd");
                if (b != null && !b.isNull()) {
                    if (b.isNumber() && b.asDouble() >= 0 && Double.isFinite(b.asDouble())) {
                        budgetUsd = b.asDouble();
                    } else {
                        errors.add(new FieldError("/options/budget_usd", "must be a number of USD, 0 or more, got " + b));
                    }
                }
                JsonNode l = options.get("lane");
                if (l != null && !l.isNull()) {
                    String wire = l.isTextual() ? l.asText().toLowerCase(Locale.ROOT) : "";
                    if (wire.equals("realtime") || wire.equals("flex") || wire.equals("batch") || wire.equals("auto")) {
                        lane = LaneChoice.fromWire(wire);
                    } else {
                        errors.add(new FieldError("/options/lane", "must be auto, realtime, flex or batch, got " + l));
                    }
                }
                style = style(options.get("language"), options.get("template"));
                JsonNode a = options.get("allow_over_budget");
                if (a != null && !a.isNull()) {
                    if (a.isBoolean()) {
                        allowOverBudget = a.asBoolean();
                    } else {
                        errors.add(new FieldError("/options/allow_over_budget", "must be true or false, got " + a));
                    }
                }
            }
        }
        return new Submission(tenant, onDuplicate, priority, maxAttempts, budgetUsd, allowOverBudget, style, lane);
    }

    /** options.language (auto or a BCP 47 code) and options.template (auto or a template the service knows); null: neither. */
    private MinutesStyle style(JsonNode language, JsonNode template) {
        LanguageChoice languageChoice = LanguageChoice.AUTO;
        String templateName = null;
        if (language != null && !language.isNull()) {
            try {
                if (!language.isTextual()) throw new IllegalArgumentException(language + " is not a language");
                languageChoice = LanguageChoice.parse(language.asText(), null);
            } catch (IllegalArgumentException e) {
                errors.add(new FieldError("/options/language", e.getMessage()));
            }
        }
        if (template != null && !template.isNull()) {
            try {
                if (!template.isTextual()) throw new IllegalArgumentException(template + " is not a template name");
                stylist.check(template.asText(), null);
                templateName = template.asText().strip();
            } catch (IllegalArgumentException e) {
                errors.add(new FieldError("/options/template", e.getMessage()));
            }
        }
        MinutesStyle style = new MinutesStyle(languageChoice, templateName);
        return style.language().isAuto() && style.templateIsAuto() ? null : style;
    }

    /**
     * {@code options.deadline}: a duration from now ({@code 8h}) or an ISO-8601 instant with its offset
     * ({@code 2026-12-05T08:00:00Z}); null when not given. One in the past, or without an offset (the service
     * cannot know the submitter's zone), is an error.
     */
    Instant deadline(JsonNode options, Instant now) {
        if (options == null || !options.isObject()) return null;
        JsonNode d = options.get("deadline");
        if (d == null || d.isNull()) return null;
        String pointer = "/options/deadline";
        if (!d.isTextual()) {
            errors.add(new FieldError(pointer, "must be a string: a duration (8h) or an ISO-8601 instant (2026-12-05T08:00:00Z), got " + d));
            return null;
        }
        try {
            Deadline deadline = Deadline.parse(d.asText());
            if (deadline.local()) {
                errors.add(new FieldError(pointer, "'" + d.asText() + "' has no offset: give one (2026-12-05T08:00:00Z, "
                        + "2026-12-05T09:00+01:00) or a duration (8h)"));
                return null;
            }
            return deadline.at(now, java.time.ZoneOffset.UTC);
        } catch (IllegalArgumentException e) {
            errors.add(new FieldError(pointer, e.getMessage()));
            return null;
        }
    }

    void check() {
        if (!errors.isEmpty()) throw ApiException.invalid(errors);
    }
}
