package io.minutes.core.domain;

import java.util.List;
import java.util.Map;

/** The minutes of one meeting. {@code redactions} is null unless something was masked before analysis. */
public record Analysis(
        String title,
        String summary,
        List<ActionItem> actionItems,
        List<String> decisions,
        List<String> openQuestions,
        List<String> topics,
        List<Participant> participants,
        Map<String, Integer> redactions) {

    public Analysis {
        actionItems = List.copyOf(actionItems);
        decisions = List.copyOf(decisions);
        openQuestions = List.copyOf(openQuestions);
        topics = List.copyOf(topics);
        participants = List.copyOf(participants);
        redactions = redactions == null || redactions.isEmpty() ? null : Map.copyOf(redactions);
    }

    public Analysis(String title, String summary, List<ActionItem> actionItems, List<String> decisions,
                    List<String> openQuestions, List<String> topics, List<Participant> participants) {
        this(title, summary, actionItems, decisions, openQuestions, topics, participants, null);
    }

    /** The same minutes, recording what was masked in the transcript before it was analysed (kind -> count). */
    public Analysis withRedactions(Map<String, Integer> counts) {
        return new Analysis(title, summary, actionItems, decisions, openQuestions, topics, participants, counts);
    }
}
