package io.minutes.core.trust;

import io.minutes.core.domain.ActionItem;
import io.minutes.core.domain.Analysis;
import io.minutes.core.domain.Evidence;
import io.minutes.core.domain.Finding;
import io.minutes.core.domain.MinutesWarning;
import io.minutes.core.domain.Segment;
import io.minutes.core.domain.Transcript;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * Checks that every action item, decision and open question was said: its quote must be found in the cited
 * segment or its neighbours (±1), ignoring whitespace, case, punctuation, non-speech marks ({@code [laughs]}),
 * fillers (um, uh), words cut off to one letter and stutters ("the the"), which transcripts keep and a quote may leave out. An item without
 * evidence, citing a segment the transcript does not have, or quoting what is not there is unsupported: dropped
 * or kept marked, as {@link UnsupportedItems} says, and counted.
 */
public final class EvidenceCheck {
    private static final Pattern NOISE = Pattern.compile("\\{[^}]{0,40}}|<[^>]{0,40}>|\\[[^\\]]{0,40}]");
    /** "what 's", "do n't": tokenised contractions, as ASR corpora write them. */
    private static final Pattern SPLIT_CONTRACTION = Pattern.compile("(\\w) (n't|'s|'ve|'re|'ll|'d|'m)\\b");
    private static final Pattern APOSTROPHES = Pattern.compile("['\u2019`]");
    private static final Pattern NOT_A_LETTER = Pattern.compile("[^\\p{L}\\p{N}]+");
    private static final Set<String> FILLERS = Set.of("um", "umm", "uh", "uhh", "erm", "er", "eh", "ah", "hm", "hmm",
            "mm", "mhm", "mmhm", "oh", "huh");
    private static final Pattern DISCOURSE_FILLER = Pattern.compile("\\b(?:you know|i mean|sort of|kind of)\\b");

    private EvidenceCheck() {
    }

    /** The minutes with every unsupported item dropped or marked, counted with a warning when there are any. */
    public static Analysis apply(Analysis analysis, Transcript transcript, UnsupportedItems policy) {
        List<String> said = transcript.segments().stream().map(Segment::text).map(EvidenceCheck::normalised).toList();
        int[] unsupported = new int[1];
        List<ActionItem> items = new ArrayList<>();
        for (ActionItem item : analysis.actionItems()) {
            if (found(item.evidence(), said)) items.add(new ActionItem(item.description(), item.owner(), item.due(),
                    item.dueDate(), timed(item.evidence(), transcript), item.supported()));
            else {
                unsupported[0]++;
                if (policy == UnsupportedItems.MARK) items.add(item.unsupported());
            }
        }
        List<Finding> decisions = findings(analysis.decisions(), transcript, said, policy, unsupported);
        List<Finding> questions = findings(analysis.openQuestions(), transcript, said, policy, unsupported);
        Analysis checked = analysis.withItems(items, decisions, questions);
        if (unsupported[0] == 0) return checked;
        int n = unsupported[0];
        return checked.withUnsupported(n, MinutesWarning.unsupported(n, policy == UnsupportedItems.DROP));
    }

    private static List<Finding> findings(List<Finding> findings, Transcript transcript, List<String> said,
                                          UnsupportedItems policy, int[] unsupported) {
        List<Finding> out = new ArrayList<>();
        for (Finding f : findings) {
            if (found(f.evidence(), said)) out.add(new Finding(f.text(), timed(f.evidence(), transcript), f.supported()));
            else {
                unsupported[0]++;
                if (policy == UnsupportedItems.MARK) out.add(f.unsupported());
            }
        }
        return out;
    }

    /** The evidence with the cited segment's start time, which the transcript knows and a model is not asked. */
    private static Evidence timed(Evidence e, Transcript transcript) {
        if (e.start() != null) return e;
        Double start = transcript.segments().get(e.segment()).startSeconds();
        return start == null ? e : new Evidence(e.segment(), start, e.speaker(), e.quote());
    }

    /** Whether {@code evidence}'s quote is in the segment it cites or its neighbours, by this check's rule ({@code minutes eval}). */
    public static boolean found(Transcript transcript, Evidence evidence) {
        List<Segment> segments = transcript.segments();
        // only the cited segment and its neighbours are read: the others are never looked at
        List<String> said = new java.util.AbstractList<>() {
            @Override
            public String get(int i) {
                return Math.abs(i - evidence.segment()) <= 1 ? normalised(segments.get(i).text()) : "";
            }

            @Override
            public int size() {
                return segments.size();
            }
        };
        return evidence != null && found(evidence, said);
    }

    /** True when the quote is in the cited segment or its neighbours, read as one stretch of speech. */
    static boolean found(Evidence evidence, List<String> said) {
        if (evidence == null || evidence.quote() == null) return false;
        int at = evidence.segment();
        if (at < 0 || at >= said.size()) return false;
        String quote = normalised(evidence.quote());
        if (quote.isEmpty()) return false;
        StringBuilder around = new StringBuilder();
        for (int i = Math.max(0, at - 1); i <= Math.min(said.size() - 1, at + 1); i++) around.append(said.get(i));
        return around.indexOf(quote) >= 0;
    }

    /** A lone letter other than "a" or "i" is a word cut off mid-way ("we're to r just"), which a quote leaves out. */
    private static boolean isCutOff(String word) {
        return word.length() == 1 && Character.isLetter(word.charAt(0)) && !word.equals("a") && !word.equals("i");
    }

    /** Lower-case letters and digits only, without marks, fillers and stutters: what two spellings of one quote share. */
    static String normalised(String text) {
        String s = NOISE.matcher(text).replaceAll(" ").toLowerCase(Locale.ROOT);
        s = SPLIT_CONTRACTION.matcher(s.replace('\u2019', '\'')).replaceAll("$1$2");
        s = APOSTROPHES.matcher(s).replaceAll("");
        s = DISCOURSE_FILLER.matcher(s).replaceAll(" ");
        StringBuilder out = new StringBuilder(s.length());
        String previous = null;
        for (String word : NOT_A_LETTER.split(s)) {
            if (word.isEmpty() || FILLERS.contains(word) || word.equals(previous) || isCutOff(word)) continue;
            out.append(word);
            previous = word;
        }
        return out.toString();
    }
}
