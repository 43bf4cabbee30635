package io.minutes.core.engine;

import java.util.Locale;
import java.util.Set;
import java.util.TreeSet;

/**
 * Who may receive a meeting of the sensitive tier: the providers named in allow-sensitive, compared with
 * the names the configuration gives the analyzer and the transcriber (its provider registry's names), not
 * with what they call themselves for display.
 *
 * @param allowed     the provider names allowed (allow-sensitive)
 * @param analyzer    the analyzer's provider name, e.g. openai
 * @param transcriber the transcriber's provider name, e.g. command; null when there is none
 */
public record SensitiveTier(Set<String> allowed, String analyzer, String transcriber) {

    public SensitiveTier {
        allowed = Set.copyOf(allowed);
    }

    boolean allowsAnalyzer() {
        return allows(analyzer);
    }

    boolean allowsTranscriber() {
        return transcriber != null && allows(transcriber);
    }

    private boolean allows(String provider) {
        return allowed.contains(provider.toLowerCase(Locale.ROOT));
    }

    /** The allowed names as a user gives them: "command,local", or "none". */
    String allowedText() {
        return allowed.isEmpty() ? "none" : String.join(",", new TreeSet<>(allowed));
    }
}
