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

    /**
     * First words of a "task" that mark talk about the meeting itself or a state of mind, not work to do ("I'll say",
     * "I'll go over", "I'd like to think"). Verbs of real work that also open talk ("ask", "bring", "start", "have",
     * "give", "put", "move") are not here: "I will ask Carol for access" and "I will bring the amended contract" are
     * commitments.
     */
    private static final Set<String> NOT_A_TASK = Set.of(
            "be", "say", "tell", "mention", "think", "guess", "talk", "present", "show", "repeat",
            "hand", "pass", "go", "stop", "admit", "answer", "explain", "speak", "hear", "wait",
            "need", "see", "let", "just", "probably", "not", "never", "argue", "assume", "agree", "disagree", "note",
            "stay", "jump", "skip", "wrap", "summarize", "like", "want", "continue", "describe", "draw", "carry",
            "expand", "echo", "elaborate", "respond", "reply", "comment", "begin", "introduce", "hope", "believe",
            "suggest", "point", "remind", "leave", "keep", "come");
    /** Openings of real-work verbs that are still not a task: "have time to", "have a look", "come back to". */
    private static final Pattern NOT_A_TASK_OPENING = Pattern.compile(
            "(?i)^(?:have\\s+(?:time|a\\s+(?:look|chance|think|go|word|quick|feeling)|no|any|some|fun)|start\\s+(?:with|by|off)|give\\s+(?:it|you|a)\\s+(?:a\\s+)?(?:try|go|second|minute))\\b");
    /**
     * Things done to the meeting's own screen or chat while it runs ("drop a link to the agenda here", "get rid of
     * this \"Click to add notes\""): over when the meeting is. Narrow by design: "here" or "this" as the object.
     */
    private static final Pattern IN_THE_MEETING = Pattern.compile(
            "(?i)\\b(?:here|in (?:the )?chat|on (?:the |my )?screen|on this slide)\\s*$|^(?:get rid of|remove|delete|close|hide)\\s+this\\b");
    /** "Yes, I'll take that": someone takes on what was just asked of them or of the room. */
    private static final Pattern ACCEPTANCE = Pattern.compile(
            "(?i)^(?:(?:yes|yeah|yep|sure|ok|okay|of course|absolutely)[,.!]?\\s*)?"
            + "(?:I'll take (?:that|it|this)(?: one)?|I can take (?:that|it|this)|I can do (?:that|it|this)|I'll do (?:that|it|this)"
            + "|will do|on it|I'm on it|I'll handle (?:that|it)|leave it with me)\\b");
    /** "Can someone look into X?": a request to the room, taken by whoever accepts it. */
    private static final Pattern OPEN_REQUEST = Pattern.compile(
            "(?i)^(?:so,?\\s+)?(?:can|could|would)\\s+(?:someone|somebody|anyone|anybody)\\s+(?:please\\s+)?(?<task>.+)");
    private static final Pattern CLAUSE_END = Pattern.compile(
            "(?i)(?:,?\\s+(?:but|because|since|although|though|unless|if|otherwise|and then I|and I think)\\b|[;:]|,\\s+(?:so|and|which)\\b"
            + "|(?<=\\bthat)\\s+I\\s+(?:believe|think|guess)\\b)");
    /**
     * A sentence of the same turn that goes on with the commitment just made: "And then update the documentation",
     * "Then send it round", "So that we have a document that tracks them". Joined to the task, not an item of its own.
     */
    private static final Pattern CONTINUATION = Pattern.compile(
            "(?i)^(?:and\\s+)?(?:then|also|after\\s+that|so\\s+that)\\b,?\\s*(?!I\\b|we\\b|you\\b|they\\b|he\\b|she\\b)");
    private static final int MAX_CONTINUATIONS = 2;
    private static final int MAX_CONTINUATION_WORDS = 25;
    /** A task that ends pointing back ("update the EIP to specify that"): what it points to was put to the speaker just before. */
    private static final Pattern ENDS_POINTING_BACK = Pattern.compile("(?i)\\s+(?:that|this|so)$");
    /**
     * A claim put to the one who answers: "then Micah, you said legacy transactions won't be valid blocks anymore, right?"
     * (claim: "legacy transactions won't be valid blocks anymore"). Only a question that states something (a tag question
     * or "you said ..."), never a request ("can you ...?").
     */
    private static final Pattern PUT_TO_YOU = Pattern.compile(
            "^(?i:(?:then|so|and|okay|ok)\\s+)?(?:[A-Z][a-z]+,\\s+)?(?i:you\\s+(?:said|mentioned|suggested|meant)\\s+(?:that\\s+)?)?"
            + "(?<claim>.+?),?\\s+(?i:right|correct|yes|is\\s+that\\s+(?:right|correct))\\?$");
    private static final Pattern HYPOTHETICAL = Pattern.compile("(?i)\\b(?:if|whether|unless|would|might)\\b");
    /**
     * Once a speaker says "let's suppose", the next few sentences of that turn are a thought experiment, not a plan.
     * Not the whole turn: a long turn merged from many captions goes on to real plans. "For example" introduces an
     * example, not a supposition ("For example, I'd rather us focus on the devnets").
     */
    private static final Pattern HYPOTHETICAL_CONTEXT = Pattern.compile(
            "(?i)\\b(?:suppose|imagine|hypothetically|in theory|let's say)\\b");
    private static final int HYPOTHETICAL_SENTENCES = 3;
    private static final Pattern TRAILING = Pattern.compile("(?i)(?:[\\s,]+(?:then|now|too|as well|also|again|right|okay|ok|for you|today))+\\s*[.?!]*$|[\\s,.?!]+$");
    private static final int MAX_TASK_WORDS = 20;

    private ActionItemExtractor() {
    }

    static List<ActionItem> extract(List<Sentence> sentences, Set<String> names) {
        return extract(sentences, names, java.util.Map.of());
    }

    /** {@code fullNames}: addressable first name to the participant's name as the transcript spells it. */
    static List<ActionItem> extract(List<Sentence> sentences, Set<String> names, java.util.Map<String, String> fullNames) {
        List<ActionItem> items = new ArrayList<>();
        List<Set<String>> seen = new ArrayList<>();
        Set<String> speakers = new java.util.HashSet<>();
        for (Sentence s : sentences) if (s.speaker() != null) speakers.add(s.speaker());
        int hypotheticalTurn = -1;
        int hypotheticalUntil = -1;
        for (Sentence s : sentences) {
            if (RegexWork.matcher(HYPOTHETICAL_CONTEXT, s.text()).find()) {
                hypotheticalTurn = s.turn();
                hypotheticalUntil = s.position() + HYPOTHETICAL_SENTENCES;
            }
            if (s.turn() == hypotheticalTurn && s.position() <= hypotheticalUntil) continue;
            Optional<ActionItem> item = fromSentence(s, names)
                    .map(i -> withClaimPointedTo(i, sentences, s))
                    .map(i -> withContinuations(i, sentences, s))
                    .or(() -> acceptedRequest(sentences, s))
                    .map(i -> withParticipantOwner(i, fullNames, speakers));
            if (item.isEmpty()) continue;
            Set<String> terms = new LinkedHashSet<>(Tokenizer.terms(item.get().description()));
            if (Phrases.isNearDuplicate(terms, seen)) continue;
            seen.add(terms);
            items.add(item.get());
            if (items.size() == MAX_ITEMS) break;
        }
        return items;
    }

    /**
     * "Yes, I'll take that" said right after a request ("Priya, can you ask legal about X by Tuesday?", "can someone
     * X?") in the turn before: the task is the request's, the owner the one who took it.
     */
    private static Optional<ActionItem> acceptedRequest(List<Sentence> sentences, Sentence s) {
        if (s.speaker() == null || !RegexWork.matcher(ACCEPTANCE, s.text()).find()) return Optional.empty();
        for (int i = s.position() - 1; i >= 0 && sentences.get(i).turn() >= s.turn() - 1; i--) {
            Sentence before = sentences.get(i);
            if (before.turn() == s.turn()) continue;
            if (!before.isQuestion() || s.speaker().equals(before.speaker())) return Optional.empty();
            Matcher m = RegexWork.matcher(ADDRESSED_REQUEST, before.text());
            if (m.find()) return item(m.group("task"), before, s.speaker());
            m = RegexWork.matcher(OPEN_REQUEST, before.text());
            return m.find() ? item(m.group("task"), before, s.speaker()) : Optional.empty();
        }
        return Optional.empty();
    }

    /**
     * "I will update the EIP 2972 to specify that", answering "then Micah, you said legacy transactions won't be valid
     * blocks anymore, right?": the task says what "that" is.
     */
    private static ActionItem withClaimPointedTo(ActionItem item, List<Sentence> sentences, Sentence s) {
        Matcher pointing = RegexWork.matcher(ENDS_POINTING_BACK, item.description());
        if (!pointing.find()) return item;
        for (int i = s.position() - 1; i >= 0; i--) {
            Sentence before = sentences.get(i);
            if (before.turn() == s.turn()) continue;
            if (before.turn() != s.turn() - 1 || s.speaker() == null || s.speaker().equals(before.speaker())) return item;
            Matcher claim = RegexWork.matcher(PUT_TO_YOU, before.text());
            if (!claim.find()) return item;
            String task = item.description().substring(0, pointing.start()) + " that " + claim.group("claim");
            return new ActionItem(task, item.owner(), item.due(), item.dueDate(), item.evidence(), item.supported());
        }
        return item;
    }

    /** The commitment of {@code s} with the sentences of the same turn that go on with it ("And then update ..."). */
    private static ActionItem withContinuations(ActionItem item, List<Sentence> sentences, Sentence s) {
        StringBuilder task = new StringBuilder(item.description());
        for (int i = s.position() + 1; i < sentences.size() && i <= s.position() + MAX_CONTINUATIONS; i++) {
            Sentence next = sentences.get(i);
            Matcher going = RegexWork.matcher(CONTINUATION, next.text());
            if (next.turn() != s.turn() || next.isQuestion() || next.wordCount() > MAX_CONTINUATION_WORDS || !going.find()) break;
            String more = next.text().substring(going.start()).replaceFirst("(?i)^and\\s+", "").replaceAll("[.!]+$", "");
            task.append(", ").append(more);
        }
        if (task.length() == item.description().length()) return item;
        return new ActionItem(task.toString(), item.owner(), item.due(), item.dueDate(), item.evidence(), item.supported());
    }

    /** Whether {@code s} asks something of someone ("Priya, can you...", "can someone...?"): a request, not an open question. */
    static boolean isRequest(Sentence s) {
        return RegexWork.matcher(ADDRESSED_REQUEST, s.text()).find() || RegexWork.matcher(OPEN_REQUEST, s.text()).find();
    }

    /**
     * An owner named by first name ("Priya") becomes the participant ("Priya Shah"); one the transcript cannot tie to a
     * participant, nobody. A speaker is a participant as the transcript spells them, whether or not their first word is
     * a name one can be called by ("Councilmember Brandt" saying "I'll meet ...").
     */
    private static ActionItem withParticipantOwner(ActionItem item, java.util.Map<String, String> fullNames,
                                                   Set<String> speakers) {
        if (item.owner() == null || fullNames.isEmpty() || fullNames.containsValue(item.owner())
                || speakers.contains(item.owner())) {
            return item;
        }
        return item.withOwner(fullNames.get(item.owner().toLowerCase(Locale.ROOT)));
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
        if (words.size() < 2 || words.size() > MAX_TASK_WORDS) return Optional.empty();
        // "order them by Wednesday", "get up the PR for FOCIL in the next day or two": a stated deadline makes a short task real
        int termsNeeded = due.isPresent() ? 1 : 2;
        if (NOT_A_TASK.contains(words.getFirst()) || Tokenizer.terms(words).size() < termsNeeded) return Optional.empty();
        if (RegexWork.matcher(IN_THE_MEETING, task).find() || RegexWork.matcher(NOT_A_TASK_OPENING, task).find()) return Optional.empty();
        return Optional.of(new ActionItem(TextCleaner.capitalize(task), owner, due.map(DueDates.Due::due).orElse(null), null,
                said.evidence(), true));
    }
}
