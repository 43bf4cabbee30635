package io.minutes.core.ingest;

import io.minutes.core.text.RegexWork;
import io.minutes.core.domain.Segment;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.List;
import java.util.Locale;
import java.util.regex.Pattern;

/**
 * SHA-256 of the words and speakers only, so the same meeting hashes alike whatever its format, timings,
 * line breaks, case or punctuation.
 */
public final class ContentHash {

    private static final Pattern NOT_WORD = Pattern.compile("[^\\p{L}\\p{N}\\s]+");
    private static final Pattern SPACES = Pattern.compile("\\s+");

    private ContentHash() {
    }

    public static String of(List<Segment> segments) {
        StringBuilder canonical = new StringBuilder();
        for (Segment s : segments) {
            canonical.append(s.speaker() == null ? "" : words(s.speaker())).append('\u001F')
                    .append(words(s.text())).append('\u001E');
        }
        try {
            MessageDigest sha = MessageDigest.getInstance("SHA-256");
            return HexFormat.of().formatHex(sha.digest(canonical.toString().getBytes(StandardCharsets.UTF_8)));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("every JDK has SHA-256", e);
        }
    }

    static String words(String text) {
        String lower = RegexWork.matcher(NOT_WORD, text.toLowerCase(Locale.ROOT)).replaceAll("");
        return RegexWork.matcher(SPACES, lower).replaceAll(" ").strip();
    }
}
