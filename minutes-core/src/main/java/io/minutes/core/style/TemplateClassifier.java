package io.minutes.core.style;

import io.minutes.core.domain.Segment;
import io.minutes.core.domain.Transcript;

import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;

/**
 * Picks a built-in template for a meeting from cheap signs in its transcript: the words each kind of meeting
 * cannot do without (a council moves, seconds and votes; a stand-up says yesterday, today and blocked; a
 * retrospective says what went well and what to improve; a customer call talks pricing, contracts and
 * demos; a one-to-one has two speakers and talks feedback and growth), counted per thousand words, and the
 * number of speakers; a speaker's label counts once ("Councilmember Okafor"). A meeting with no clear sign gets the general template: a wrong special template
 * costs more than general minutes.
 */
public final class TemplateClassifier {
    /** Signs per thousand words a kind of meeting must show, and signs in all, before its template is chosen. */
    static final double MIN_PER_THOUSAND = 4.0;
    static final int MIN_SIGNS = 3;

    private static final Map<String, List<String>> SIGNS = new LinkedHashMap<>();

    static {
        SIGNS.put("council", List.of("motion", "motions", "second the motion", "seconded", "all in favor", "all those in favor",
                "aye", "ayes", "nay", "nays", "roll call", "councilmember", "councilmembers", "council member", "council members",
                "resolution", "ordinance", "agenda item", "public comment", "quorum", "abstain", "abstention",
                "adjourn", "adjourned", "clerk", "pro tem", "vice mayor", "mayor", "madam chair", "mr chair", "chair", "council",
                "i move", "move that", "to order", "call the roll", "board member", "board members", "trustee", "trustees"));
        SIGNS.put("stand-up", List.of("yesterday", "blocker", "blockers", "blocked", "standup", "stand-up",
                "stand up", "sprint", "ticket", "tickets", "jira", "working on", "today i", "i'm working", "no blockers"));
        SIGNS.put("retrospective", List.of("retro", "retrospective", "went well", "go well", "went wrong", "go wrong",
                "to improve", "improve", "start doing", "stop doing", "keep doing", "lessons learned", "shout out", "kudos"));
        SIGNS.put("customer-call", List.of("pricing", "your team", "your company", "your use case", "use case", "demo",
                "trial", "renewal", "procurement", "contract", "quote", "discount", "subscription", "licence", "license",
                "onboarding", "pilot", "our product", "account manager", "sign off", "decision maker"));
        SIGNS.put("one-to-one", List.of("feedback", "career", "growth", "one-on-one", "one to one", "1:1", "promotion",
                "how are you", "how are you doing", "goals", "your manager", "development plan", "performance"));
    }

    private TemplateClassifier() {
    }

    /** The template for this meeting among {@code known} (the general one when no kind shows clearly). */
    public static Template choose(Transcript transcript, Templates known) {
        String kind = kind(transcript);
        return known.find(kind).orElse(Templates.GENERAL);
    }

    /** The name of the kind of meeting the transcript shows most clearly, or "general". */
    public static String kind(Transcript transcript) {
        String best = Templates.GENERAL.name();
        double bestRate = 0;
        for (Sign sign : signs(transcript).values()) {
            if (sign.count() >= MIN_SIGNS && sign.perThousand() >= MIN_PER_THOUSAND && sign.perThousand() > bestRate) {
                best = sign.kind();
                bestRate = sign.perThousand();
            }
        }
        return best;
    }

    /** How often a kind of meeting's signs occur in a transcript: in all, and per thousand words. */
    record Sign(String kind, int count, double perThousand) {
    }

    /** The signs of each kind of meeting in the transcript (a one-to-one's only when it has two speakers). */
    static Map<String, Sign> signs(Transcript transcript) {
        StringBuilder text = new StringBuilder(" ");
        Set<String> speakers = new HashSet<>();
        for (Segment s : transcript.segments()) {
            text.append(s.text().toLowerCase(Locale.ROOT).replaceAll("[^\\p{L}\\p{N}:'-]+", " ")).append(' ');
            if (s.speaker() != null && !s.speaker().isBlank()) speakers.add(s.speaker().strip().toLowerCase(Locale.ROOT));
        }
        // a speaker's label says their role once ("Councilmember Okafor", "Chair Delgado")
        for (String speaker : speakers) text.append(speaker.replaceAll("[^\\p{L}\\p{N}:'-]+", " ")).append(' ');
        String all = text.toString().replaceAll(" +", " ");
        int words = Math.max(1, all.split(" ").length - 1);
        Map<String, Sign> out = new LinkedHashMap<>();
        for (Map.Entry<String, List<String>> kind : SIGNS.entrySet()) {
            if (kind.getKey().equals("one-to-one") && speakers.size() != 2) continue;
            int count = 0;
            for (String sign : kind.getValue()) count += occurrences(all, " " + sign + " ");
            out.put(kind.getKey(), new Sign(kind.getKey(), count, count * 1000.0 / words));
        }
        return out;
    }

    private static int occurrences(String text, String phrase) {
        int n = 0;
        for (int at = text.indexOf(phrase); at >= 0; at = text.indexOf(phrase, at + phrase.length() - 1)) n++;
        return n;
    }
}
