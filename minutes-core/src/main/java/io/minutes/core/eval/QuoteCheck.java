package io.minutes.core.eval;

import io.minutes.core.domain.Evidence;
import io.minutes.core.domain.Segment;
import io.minutes.core.domain.Transcript;

import java.util.List;
import java.util.Locale;

/**
 * Whether an item's evidence holds: its quote is in the segment it cites or in one next to it, ignoring case and
 * runs of whitespace (the rule of issue 18). Nothing else is forgiven: a quote the analyzer tidied (fillers taken
 * out, punctuation moved) is not found.
 */
public final class QuoteCheck {

    private QuoteCheck() {
    }

    public static boolean found(Transcript transcript, Evidence evidence) {
        if (evidence == null || evidence.quote() == null || evidence.quote().isBlank()) return false;
        List<Segment> segments = transcript.segments();
        String quote = normalised(evidence.quote());
        for (int i = evidence.segment() - 1; i <= evidence.segment() + 1; i++) {
            if (i >= 0 && i < segments.size() && normalised(segments.get(i).text()).contains(quote)) return true;
        }
        return false;
    }

    private static String normalised(String text) {
        return text.strip().replaceAll("\\s+", " ").toLowerCase(Locale.ROOT);
    }
}
