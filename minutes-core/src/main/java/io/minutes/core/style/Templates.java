package io.minutes.core.style;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * The templates a node knows: the built-in ones and, when the configuration names a template file, that
 * team's own (which may replace a built-in of the same name).
 */
public final class Templates {
    public static final Template GENERAL = new Template("general", "1",
            "Write general minutes: what was discussed, what was decided, who does what by when, what is still open.",
            List.of(), false);
    public static final Template STAND_UP = new Template("stand-up", "1",
            "This is a stand-up. Go person by person: what each finished, what each does next, and what blocks them.",
            List.of(new Template.Section("Done", "What the person finished since the last stand-up."),
                    new Template.Section("Next", "What the person will do next."),
                    new Template.Section("Blocked", "What blocks the person, and who can unblock it.")), true);
    public static final Template ONE_TO_ONE = new Template("one-to-one", "1",
            "This is a one-to-one between two people. Keep it personal and short; record feedback as said.",
            List.of(new Template.Section("Topics", "The topics the two discussed."),
                    new Template.Section("Feedback", "Feedback given, by whom to whom, as said."),
                    new Template.Section("Follow-ups", "What each will follow up on.")), false);
    public static final Template CUSTOMER_CALL = new Template("customer-call", "1",
            "This is a call with a customer. Separate what the customer said from what our side said.",
            List.of(new Template.Section("Needs", "What the customer needs or asked for."),
                    new Template.Section("Objections", "Concerns and objections the customer raised."),
                    new Template.Section("Commitments", "What each side committed to."),
                    new Template.Section("Next steps", "The agreed next steps, with dates.")), false);
    public static final Template COUNCIL = new Template("council", "1",
            "This is a council or board meeting. Record each motion as moved, who moved and seconded it, the vote"
                    + " (ayes, noes, abstentions, by name when stated) and the outcome.",
            List.of(new Template.Section("Motions", "Each motion or resolution, who moved and who seconded it."),
                    new Template.Section("Votes", "How each motion was voted, with the counts or names as stated."),
                    new Template.Section("Outcomes", "What passed, failed, was tabled or referred.")), false);
    public static final Template RETROSPECTIVE = new Template("retrospective", "1",
            "This is a retrospective. Record what went well and what to improve as the team said it, and the actions agreed.",
            List.of(new Template.Section("Went well", "What the team said went well."),
                    new Template.Section("To improve", "What the team said should improve."),
                    new Template.Section("Actions", "The improvement actions agreed, with owners.")), false);

    public static final List<Template> BUILT_IN = List.of(GENERAL, STAND_UP, ONE_TO_ONE, CUSTOMER_CALL, COUNCIL, RETROSPECTIVE);

    private final Map<String, Template> byName = new LinkedHashMap<>();
    private final List<Template> own;

    private Templates(List<Template> own) {
        BUILT_IN.forEach(t -> byName.put(t.name(), t));
        own.forEach(t -> byName.put(t.name(), t));
        this.own = List.copyOf(own);
    }

    /** The team's own templates (from a template file), not the built-in ones. */
    public List<Template> own() {
        return own;
    }

    public static Templates builtIn() {
        return new Templates(List.of());
    }

    /** The built-in templates and {@code own} (a team's, from a template file), which win a tie of names. */
    public static Templates with(List<Template> own) {
        return new Templates(own);
    }

    public Optional<Template> find(String name) {
        return Optional.ofNullable(byName.get(name));
    }

    public List<String> names() {
        return List.copyOf(byName.keySet());
    }
}
