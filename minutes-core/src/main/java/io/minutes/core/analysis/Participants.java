package io.minutes.core.analysis;

import io.minutes.core.domain.Participant;
import io.minutes.core.domain.Segment;
import io.minutes.core.domain.Transcript;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;

/** Who spoke, how many words, and for how long when the transcript has timestamps. */
final class Participants {

    private static final Set<String> ROLE_WORDS = Set.of(
            "project", "marketing", "industrial", "user", "interface", "grad", "professor", "speaker", "dr",
            "mr", "mrs", "ms", "prof", "unknown", "host", "moderator", "guest", "chair", "member");

    private Participants() {
    }

    /** Words are counted on the cleaned sentences, so fillers and noise tags do not count as speech. */
    static List<Participant> of(Transcript transcript, List<Sentence> sentences) {
        int[] wordsPerTurn = new int[transcript.segments().size()];
        for (Sentence s : sentences) wordsPerTurn[s.turn()] += s.wordCount();
        Map<String, Tally> tallies = new LinkedHashMap<>();
        for (int turn = 0; turn < wordsPerTurn.length; turn++) {
            Segment s = transcript.segments().get(turn);
            String speaker = SentenceSplitter.normaliseSpeaker(s.speaker());
            if (speaker == null) continue;
            Tally t = tallies.computeIfAbsent(speaker, k -> new Tally());
            t.words += wordsPerTurn[turn];
            if (s.hasTimes()) t.seconds += Math.max(0, s.endSeconds() - s.startSeconds());
            else t.allTimed = false;
        }
        List<Participant> out = new ArrayList<>();
        tallies.forEach((name, t) -> out.add(new Participant(name, t.words,
                t.allTimed ? Math.round(t.seconds * 1000) / 1000.0 : null)));
        out.sort(Comparator.comparingInt(Participant::words).reversed().thenComparing(Participant::name));
        return out;
    }

    /**
     * Lower-case first names by which speakers may be addressed ("Micah, can you ..."), leaving out
     * role labels such as "Project Manager" that are not names.
     */
    static Set<String> addressableNames(Transcript transcript) {
        Set<String> names = new TreeSet<>();
        for (Segment s : transcript.segments()) {
            String speaker = SentenceSplitter.normaliseSpeaker(s.speaker());
            if (speaker == null) continue;
            List<String> words = Tokenizer.words(speaker);
            if (words.isEmpty()) continue;
            String first = words.getFirst().toLowerCase(Locale.ROOT);
            if (first.length() > 1 && !ROLE_WORDS.contains(first) && !Stopwords.contains(first)
                    && Character.isLetter(first.charAt(0))) {
                names.add(first);
            }
        }
        return names;
    }

    /**
     * Each addressable first name ({@link #addressableNames}) to the participant it names, spelled as the transcript
     * spells the speaker ("priya" to "Priya Shah"). A first name two participants share is left out, unless one of
     * them is called by that name alone: an owner is never guessed.
     */
    static Map<String, String> fullNames(Transcript transcript) {
        Map<String, Set<String>> byFirst = new LinkedHashMap<>();
        for (Segment s : transcript.segments()) {
            String speaker = SentenceSplitter.normaliseSpeaker(s.speaker());
            if (speaker == null) continue;
            List<String> words = Tokenizer.words(speaker);
            if (words.isEmpty()) continue;
            byFirst.computeIfAbsent(words.getFirst(), k -> new TreeSet<>()).add(speaker);
        }
        Set<String> addressable = addressableNames(transcript);
        Map<String, String> out = new LinkedHashMap<>();
        byFirst.forEach((first, speakers) -> {
            if (!addressable.contains(first)) return;
            if (speakers.size() == 1) out.put(first, speakers.iterator().next());
            else speakers.stream().filter(sp -> sp.equalsIgnoreCase(first)).findFirst().ifPresent(sp -> out.put(first, sp));
        });
        return out;
    }

    private static final class Tally {
        int words;
        double seconds;
        boolean allTimed = true;
    }
}
