package io.minutes.core.style;

import io.minutes.core.domain.Segment;
import io.minutes.core.domain.Transcript;

import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * Finds the language most of a meeting was spoken in, cheaply: every word is looked up in the function-word
 * profile of each language it knows (en, de, fr, es, nl, it, pt), and the language whose words occur most
 * wins. Function words ("the", "und", "les", "que", "het", "della", "não") are frequent in any text of a
 * language and rare in the others, so a few hundred words decide; the profiles leave out the words two
 * languages share ("de", "a", "en", "in", "die"...). No dependency and no model: a meeting's transcript is
 * long, and this needs to tell apart only the languages teams write minutes in.
 */
public final class LanguageDetector {
    /** Fewer profile words than this and the language is not known (a title card, a few lines of noise). */
    static final int MIN_HITS = 8;

    private static final Map<String, Set<String>> PROFILES = new LinkedHashMap<>();

    static {
        profile("en", "the and of to that it for you with this have are they not be but what we at there can "
                + "would about which their if just our them been were when should think know these because");
        profile("de", "und der das ist nicht ich mit sie wir auf für sich dem ein eine auch zu von aber "
                + "noch oder wenn schon dass haben nach bei einen mir wird sind kann werden nicht auch");
        profile("fr", "le les et est des une pas qui dans pour sur nous vous avec sont mais ou au du cette "
                + "plus être fait aussi comme tout avons donc très ça");
        profile("es", "el los las y pero más hay sus fue ya muy también nosotros tenemos están hacer pues "
                + "bueno ustedes entonces cuando donde ahora vamos usted sí");
        profile("nl", "het een van dat niet met voor op ook wij ik maar wat hebben nog dit aan bij naar "
                + "kan wordt worden moeten moet heeft jullie deze om");
        profile("it", "il di che è per sono gli anche questo questa più alla nel abbiamo molto ci ho dei "
                + "delle essere fatto perché ancora tutto");
        profile("pt", "o não é do em um uma os com mais foi ao também isso são temos você nós muito já "
                + "pelo pela então fazer");
    }

    private LanguageDetector() {
    }

    private static void profile(String code, String words) {
        PROFILES.put(code, Set.copyOf(java.util.Arrays.asList(words.split(" "))));
    }

    /** The languages this detector knows, as BCP 47 codes. */
    public static Set<String> languages() {
        return PROFILES.keySet();
    }

    /** The majority language of the meeting; empty when too little of it is in a language known here. */
    public static Optional<String> detect(Transcript transcript) {
        StringBuilder text = new StringBuilder();
        for (Segment s : transcript.segments()) text.append(s.text()).append('\n');
        return detect(text);
    }

    public static Optional<String> detect(CharSequence text) {
        Map<String, Integer> hits = new LinkedHashMap<>();
        for (String word : text.toString().toLowerCase(Locale.ROOT).split("[^\\p{L}']+")) {
            if (word.isEmpty()) continue;
            for (Map.Entry<String, Set<String>> p : PROFILES.entrySet()) {
                if (p.getValue().contains(word)) hits.merge(p.getKey(), 1, Integer::sum);
            }
        }
        return hits.entrySet().stream()
                .filter(e -> e.getValue() >= MIN_HITS)
                .max(Map.Entry.comparingByValue())
                .map(Map.Entry::getKey);
    }
}
