package io.minutes.core.domain;

import java.util.List;

/** The minutes of one meeting. */
public record Analysis(
        String title,
        String summary,
        List<ActionItem> actionItems,
        List<String> decisions,
        List<String> openQuestions,
        List<String> topics,
        List<Participant> participants) {

    public Analysis {
        actionItems = List.copyOf(actionItems);
        decisions = List.copyOf(decisions);
        openQuestions = List.copyOf(openQuestions);
        topics = List.copyOf(topics);
        participants = List.copyOf(participants);
    }
}
