package io.minutes.core.domain;

import java.util.List;
import java.util.Objects;

/** A section the meeting's template adds to its minutes ("Motions", "Blocked — Dev Patel"), with its items. */
public record Section(String name, List<String> items) {
    public Section {
        Objects.requireNonNull(name, "name");
        items = items == null ? List.of() : List.copyOf(items);
    }
}
