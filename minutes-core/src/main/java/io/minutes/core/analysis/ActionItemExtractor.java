package io.minutes.core.analysis;

import io.minutes.core.text.RegexWork;
import io.minutes.core.domain.ActionItem;

import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Finds commitments: "I'll / I'm going to X" (owner: the speaker), "Name will / is going to X",
 * "Name, can you X" (owner: Name), "action item: X", "TODO X", and "we need to X by Friday" (no
 * owner). Vague, hypothetical and very short items are dropped.
 */
final class ActionItemExtractor {

    static final int MAX_ITEMS = 10;

    private static final Pattern SELF_COMMITMENT = Pattern.compile(
            "(?i)(?:^|[,;:]\\s*|\\b(?:so|and|then|okay|ok|yeah|yes|well|alright|sure)[,]?\\s+)"
            + "(?:I'll|I will|I'd like to|I'm going to|I am going to|I'm gonna|I volunteer to|I can take care of|I'll take care of)"
            + "\\s+(?:also\\s+|just\\s+|then\\s+|definitely\\s+|go ahead and\\s+|try to\\s+|try and\\s+)*+(?<task>.+)");
    private static final Pattern NAMED_COMMITMENT = Pattern.compile(
            "\\b(?<name>[A-Z][a-z]+)\\s+(?:will|is going to|is gonna|to|has agreed to|agreed to|volunteered to)"
            + "\\s+(?:also\\s+|then\\s+|go ahead and\\s+)*+(?<task>.+)");
    private static final Pattern ADDRESSED_REQUEST = Pattern.compile(
            "^(?<name>[A-Z][a-z]+),?\\s+(?i:can|could|would|will)\\s+you\\s+(?i:please\\s+)?(?<task>.+)");
    private static final Pattern EXPLICIT = Pattern.compile(
            "(?i)\\b(?:action items?|to-?do|follow-up)\\b\\s*(?:is|for \\w+)?\\s*[:\\-]?\\s*(?<task>.+)");
    private static final Pattern TEAM_NEED = Pattern.compile(
            "(?i)\\b(?:we|someone|somebody)\\s+(?:need|needs|have|has|must)\\s+to\\s+(?<task>.+)");

    /** First words of a "task" that mark talk about the meeting itself, not work to do. */
    private static final Set<String> NOT_A_TASK = Set.of(
            "be", "say", "tell", "mention", "think", "guess", "ask", "start", "talk", "present", "show", "repeat",
            "hand", "pass", "go", "stop", "leave", "admit", "answer", "explain", "speak", "keep", "hear", "wait",
            "have", "need", "see", "move", "let", "put", "give", "come", "bring", "just",
            "probably", "not", "never", "argue", "assume", "agree", "disagree", "note", "stay", "jump",
            "skip", "read", "wrap", "summarize", "turn", "like", "want", "continue",
            "describe", "draw", "carry", "expand", "echo", "follow", "elaborate", "pick", "respond", "reply", "comment", "begin", "introduce", "hope", "believe", "suggest", "point", "remind");
    private static final Pattern CLAUSE_END = Pattern.compile(
            "(?i)(?:,?\\s+(?:but|because|since|although|though|unless|if|otherwise|and then I|and I think)\\b|[;:]|,\\s+(?:so|and|which)\\b)");
    private static final Pattern HYPOTHETICAL = Pattern.compile("(?i)\\b(?:if|whether|unless|would|might)\\b");
    /** Once a speaker says "let's suppose", the rest of that turn is a thought experiment, not a plan. */
    private static final Pattern HYPOTHETICAL_CONTEXT = Pattern.compile(
            "(?i)\\b(?:suppose|imagine|hypothetically|in theory|let's say|for example|for instance)\\b");
    private static final Pattern TRAILING = Pattern.compile("(?i)(?:[\\s,]+(?:then|now|too|as well|also|again|right|okay|ok|for you|today))+\\s*[.?!]*$|[\\s,.?!]+$");
    private static final int MAX_TASK_WORDS = 20;

    private ActionItemExtractor() {
    }

    static List<ActionItem> extract(List<Sentence> sentences, Set<String> names) {
        List<ActionItem> items = new ArrayList<>();
        List<Set<String>> seen = new ArrayList<>();
        int hypotheticalTurn = -1;
        for (Sentence s : sentences) {
            if (RegexWork.matcher(HYPOTHETICAL_CONTEXT, s.text()).find()) hypotheticalTurn = s.turn();
            if (s.turn() == hypotheticalTurn) continue;
            Optional<ActionItem> item = fromSentence(s, names);
            if (item.isEmpty()) continue;
            Set<String> terms = new LinkedHashSet<>(Tokenizer.terms(item.get().description()));
            if (Phrases.isNearDuplicate(terms, seen)) continue;
            seen.add(terms);
            items.add(item.get());
            if (items.size() == MAX_ITEMS) break;
        }
        return items;
    }

    static Optional<ActionItem> fromSentence(Sentence s, Set<String> names) {
        String text = s.text();
        Matcher m = RegexWork.matcher(ADDRESSED_REQUEST, text);
        if (m.find() && isName(m.group("name"), names)) {
            return item(m.group("task"), s, m.group("name"));
        }
        if (s.isQuestion()) return Optional.empty();
        m = RegexWork.matcher(EXPLICIT, text);
        if (m.find()) return item(m.group("task"), s, null);
        m = RegexWork.matcher(SELF_COMMITMENT, text);
        if (m.find() && !isHypothetical(text, m.start())) return item(m.group("task"), s, s.speaker());
        m = RegexWork.matcher(NAMED_COMMITMENT, text);
        while (m.find()) {
            if (isName(m.group("name"), names) && !isHypothetical(text, m.start())) {
                return item(m.group("task"), s, m.group("name"));
            }
        }
        m = RegexWork.matcher(TEAM_NEED, text);
        if (m.find() && DueDates.find(m.group("task")).isPresent() && !isHypothetical(text, m.start())) {
            return item(m.group("task"), s, null);
        }
        return Optional.empty();
    }

    private static boolean isName(String word, Set<String> names) {
        return names.contains(word.toLowerCase(Locale.ROOT));
    }

    private static boolean isHypothetical(String text, int commitmentStart) {
        return RegexWork.matcher(HYPOTHETICAL, text.substring(0, commitmentStart)).find();
    }

    private static Optional<ActionItem> item(String rawTask, Sentence said, String owner) {
        Optional<DueDates.Due> due = DueDates.find(said.text());
        String task = rawTask;
        Matcher end = RegexWork.matcher(CLAUSE_END, task);
        if (end.find()) task = task.substring(0, end.start());
        if (due.isPresent()) task = task.replace(due.get().phrase(), " ");
        // Trailing fillers are at most a few words; a longer task can never come down to MAX_TASK_WORDS, and TRAILING's
        // repeated group would recurse once per word on it.
        if (Tokenizer.words(task).size() > 4 * MAX_TASK_WORDS) return Optional.empty();
        task = RegexWork.matcher(TRAILING, task.replaceAll("\\s+", " ").strip()).replaceAll("").strip();
        List<String> words = Tokenizer.words(task);
        if (words.size() < 3 || words.size() > MAX_TASK_WORDS) return Optional.empty();
        if (NOT_A_TASK.contains(words.getFirst()) || Tokenizer.terms(words).size() < 2) return Optional.empty();
        return Optional.of(new ActionItem(TextCleaner.capitalize(task), owner, due.map(DueDates.Due::due).orElse(null), null,
                said.evidence(), true));
    }
}
