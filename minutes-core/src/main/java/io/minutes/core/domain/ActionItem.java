package io.minutes.core.domain;

import java.time.LocalDate;

/**
 * Something someone agreed to do. {@code owner} is a participant's name as the transcript spells it, or null
 * (unassigned); {@code due} keeps the words said ("by next Tuesday"), null when the meeting does not say;
 * {@code dueDate} is that day when the meeting's date is known, else null. {@code evidence} and
 * {@code supported} as in {@link Finding}.
 */
public record ActionItem(String description, String owner, String due, LocalDate dueDate, Evidence evidence,
                         boolean supported) {

    public ActionItem withOwner(String resolvedOwner) {
        return new ActionItem(description, resolvedOwner, due, dueDate, evidence, supported);
    }

    public ActionItem withDueDate(LocalDate date) {
        return new ActionItem(description, owner, due, date, evidence, supported);
    }

    /** The same item, marked as kept although its evidence was not found. */
    public ActionItem unsupported() {
        return new ActionItem(description, owner, due, dueDate, evidence, false);
    }
}
