package io.minutes.core.domain;

import java.util.List;
import java.util.Map;

/**
 * The minutes of one meeting. {@code redactions} is null unless something was masked before analysis.
 * {@code language} (BCP 47) and {@code template} (a name) are null when not known. {@code coverage} has one
 * entry per part for a meeting analysed in parts, and is empty for a meeting analysed in one call.
 * {@code unsupportedItems} counts the items whose evidence was not found in the transcript (dropped or kept
 * marked, see {@link ActionItem#supported()}); {@code warnings} say what the checks after the answer found.
 */
public record Analysis(
        String title,
        String summary,
        List<ActionItem> actionItems,
        List<Finding> decisions,
        List<Finding> openQuestions,
        List<String> topics,
        List<Participant> participants,
        Map<String, Integer> redactions,
        String language,
        String template,
        List<PartCoverage> coverage,
        int unsupportedItems,
        List<String> warnings) {

    /**
     * The warning of minutes whose provider's first answer did not match the analysis schema and was repaired by
     * one more call: {@code minutes eval} counts the answers that were schema-valid on the first try by it.
     */
    public static final String REPAIRED_ANSWER_WARNING =
            "the provider's first answer did not match the analysis schema; one repair call fixed it";

    public Analysis {
        actionItems = List.copyOf(actionItems);
        decisions = List.copyOf(decisions);
        openQuestions = List.copyOf(openQuestions);
        topics = List.copyOf(topics);
        participants = List.copyOf(participants);
        redactions = redactions == null || redactions.isEmpty() ? null : Map.copyOf(redactions);
        coverage = coverage == null ? List.of() : List.copyOf(coverage);
        warnings = warnings == null ? List.of() : List.copyOf(warnings);
    }

    public Analysis(String title, String summary, List<ActionItem> actionItems, List<Finding> decisions,
                    List<Finding> openQuestions, List<String> topics, List<Participant> participants,
                    Map<String, Integer> redactions) {
        this(title, summary, actionItems, decisions, openQuestions, topics, participants, redactions,
                null, null, List.of(), 0, List.of());
    }

    public Analysis(String title, String summary, List<ActionItem> actionItems, List<Finding> decisions,
                    List<Finding> openQuestions, List<String> topics, List<Participant> participants) {
        this(title, summary, actionItems, decisions, openQuestions, topics, participants, null);
    }

    /** The same minutes, recording what was masked in the transcript before it was analysed (kind -> count). */
    public Analysis withRedactions(Map<String, Integer> counts) {
        return new Analysis(title, summary, actionItems, decisions, openQuestions, topics, participants, counts,
                language, template, coverage, unsupportedItems, warnings);
    }

    /** The same minutes with other action items, decisions and open questions (after a check or a merge). */
    public Analysis withItems(List<ActionItem> items, List<Finding> decided, List<Finding> questions) {
        return new Analysis(title, summary, items, decided, questions, topics, participants, redactions,
                language, template, coverage, unsupportedItems, warnings);
    }

    public Analysis withLanguage(String bcp47) {
        return new Analysis(title, summary, actionItems, decisions, openQuestions, topics, participants, redactions,
                bcp47, template, coverage, unsupportedItems, warnings);
    }

    public Analysis withTemplate(String name) {
        return new Analysis(title, summary, actionItems, decisions, openQuestions, topics, participants, redactions,
                language, name, coverage, unsupportedItems, warnings);
    }

    public Analysis withCoverage(List<PartCoverage> parts) {
        return new Analysis(title, summary, actionItems, decisions, openQuestions, topics, participants, redactions,
                language, template, parts, unsupportedItems, warnings);
    }

    /** The same minutes with one more warning. */
    public Analysis withWarning(String warning) {
        return withUnsupported(0, warning);
    }

    /** The same minutes, adding {@code count} unsupported items and a warning that says what happened to them. */
    public Analysis withUnsupported(int count, String warning) {
        List<String> more = new java.util.ArrayList<>(warnings);
        if (warning != null) more.add(warning);
        return new Analysis(title, summary, actionItems, decisions, openQuestions, topics, participants, redactions,
                language, template, coverage, unsupportedItems + count, more);
    }
}
