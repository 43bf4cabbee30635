package io.minutes.core.analysis;

import io.minutes.core.domain.Section;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.regex.Pattern;

/**
 * A stand-up's round, person by person, as the built-in analyzer can find it: each speaker's sentences that
 * say what they finished (done), what they do next, and what blocks them, by the words such sentences use.
 * A sentence that says none of these is left out; one that says "no blockers" blocks nothing.
 */
final class StandUpRound {
    private static final Pattern BLOCKED = Pattern.compile("\\b(blocked|blocker|blockers|stuck|waiting (on|for)|can't (move|continue|proceed))\\b");
    private static final Pattern NOT_BLOCKED = Pattern.compile("\\bno (blockers?|blocks)\\b|\\bnot blocked\\b|\\bnothing block");
    private static final Pattern DONE = Pattern.compile("\\b(finished|done|merged|shipped|completed|fixed|closed|yesterday|released|wrapped up)\\b");
    private static final Pattern NEXT = Pattern.compile("\\b(today|tomorrow|next|will|i'll|going to|plan to|pick up|working on|start on)\\b");

    private StandUpRound() {
    }

    /** "Done — Name", "Next — Name", "Blocked — Name" sections, in the order the speakers first spoke. */
    static List<Section> of(List<Sentence> sentences) {
        Map<String, Map<String, List<String>>> bySpeaker = new LinkedHashMap<>();
        for (Sentence s : sentences) {
            if (s.speaker() == null || s.speaker().isBlank()) continue;
            String lower = s.text().toLowerCase(Locale.ROOT);
            String kind = BLOCKED.matcher(lower).find() && !NOT_BLOCKED.matcher(lower).find() ? "Blocked"
                    : NEXT.matcher(lower).find() ? "Next"
                    : DONE.matcher(lower).find() ? "Done" : null;
            if (kind == null) continue;
            Map<String, List<String>> person = bySpeaker.computeIfAbsent(s.speaker().strip(), k -> new LinkedHashMap<>());
            person.computeIfAbsent(kind, k -> new ArrayList<>()).add(s.text());
        }
        List<Section> out = new ArrayList<>();
        bySpeaker.forEach((name, kinds) -> {
            for (String kind : List.of("Done", "Next", "Blocked")) {
                if (kinds.containsKey(kind)) out.add(new Section(kind + " — " + name, kinds.get(kind)));
            }
        });
        return out;
    }
}
