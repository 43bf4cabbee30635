package io.minutes.core.trust;

import io.minutes.core.domain.ActionItem;
import io.minutes.core.domain.Analysis;
import io.minutes.core.domain.Participant;
import io.minutes.core.domain.Segment;
import io.minutes.core.domain.Transcript;

import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * Makes every owner a person who was there: an owner is resolved to one participant's name as the minutes'
 * {@code participants} spell it ("Dev" -> "Dev Patel", "dev patel" -> "Dev Patel", "D. Patel" -> "Dev Patel"),
 * or left unassigned (null) when no participant, or more than one, answers to it. A participant counts only if
 * the transcript contains the name: a speaker label, or a name said in the text, never one a model invented.
 */
public final class Owners {
    private static final Pattern NOT_A_LETTER = Pattern.compile("[^\\p{L}\\p{N}]+");

    private Owners() {
    }

    public static Analysis resolve(Analysis analysis, Transcript transcript) {
        List<String> people = people(analysis.participants(), transcript);
        List<ActionItem> items = new ArrayList<>();
        for (ActionItem item : analysis.actionItems()) items.add(item.withOwner(resolve(item.owner(), people)));
        return analysis.withItems(items, analysis.decisions(), analysis.openQuestions());
    }

    /** The one name of {@code people} that {@code owner} names, or null. */
    static String resolve(String owner, List<String> people) {
        if (owner == null || owner.isBlank()) return null;
        for (String p : people) if (p.equalsIgnoreCase(owner.strip())) return p;
        List<String> said = words(owner);
        if (said.isEmpty()) return null;
        String match = null;
        for (String p : people) {
            if (!answersTo(words(p), said)) continue;
            if (match != null) return null; // "Alex" with Alex Kim and Alex Ruiz: nobody can say which
            match = p;
        }
        return match;
    }

    /** Every word said is one of the name's words, or the initial of one (in order, each used once). */
    private static boolean answersTo(List<String> name, List<String> said) {
        if (said.size() > name.size()) return false;
        int from = 0;
        for (String w : said) {
            int i = from;
            while (i < name.size() && !(name.get(i).equals(w) || (w.length() == 1 && name.get(i).startsWith(w)))) i++;
            if (i == name.size()) return false;
            from = i + 1;
        }
        return said.stream().anyMatch(w -> w.length() > 1);
    }

    /** The participants' names the transcript contains: speakers, and names said in its text. */
    static List<String> people(List<Participant> participants, Transcript transcript) {
        Set<String> speakers = new LinkedHashSet<>();
        for (Segment s : transcript.segments()) if (s.speaker() != null && !s.speaker().isBlank()) speakers.add(s.speaker().strip());
        Set<String> out = new LinkedHashSet<>();
        String text = null;
        for (Participant p : participants) {
            String name = p.name() == null ? "" : p.name().strip();
            if (name.isEmpty()) continue;
            if (speakers.contains(name)) {
                out.add(name);
                continue;
            }
            if (text == null) text = " " + String.join(" ", words(transcript.plainText())) + " ";
            if (text.contains(" " + String.join(" ", words(name)) + " ")) out.add(name);
        }
        out.addAll(speakers);
        return List.copyOf(out);
    }

    private static List<String> words(String s) {
        List<String> out = new ArrayList<>();
        for (String w : NOT_A_LETTER.split(s.toLowerCase(Locale.ROOT))) if (!w.isEmpty()) out.add(w);
        return out;
    }
}
