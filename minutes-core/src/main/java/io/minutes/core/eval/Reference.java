package io.minutes.core.eval;

import io.minutes.core.domain.Transcript;

import java.util.List;
import java.util.Objects;

/**
 * A meeting with reference minutes to measure an analyzer against. Each part is optional: {@code summary} is
 * null, or {@code actions} / {@code decisions} null, when the reference does not say (which is not the same as
 * an empty list: "nothing was decided").
 *
 * @param id       a short name for the meeting, unique in one evaluation
 * @param source   where the reference came from (its file and kind), shown in the report
 * @param caveat   null, or why the reference should be read with care (e.g. written by a model)
 */
public record Reference(String id, String source, String caveat, Transcript transcript, String summary,
                        List<Item> actions, List<String> decisions) {

    public Reference {
        Objects.requireNonNull(id, "id");
        Objects.requireNonNull(transcript, "transcript");
        actions = actions == null ? null : List.copyOf(actions);
        decisions = decisions == null ? null : List.copyOf(decisions);
    }

    /** A reference action item; {@code owner} is null when the reference names nobody. */
    public record Item(String description, String owner) {
        public Item {
            Objects.requireNonNull(description, "description");
        }
    }
}
