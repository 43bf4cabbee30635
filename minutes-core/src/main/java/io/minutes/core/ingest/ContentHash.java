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
    private static final byte UNIT_SEPARATOR = 0x1F;
    private static final byte RECORD_SEPARATOR = 0x1E;

    private ContentHash() {
    }

    /** Digested segment by segment: a transcript of 20 MiB is never copied whole to be hashed. */
    public static String of(List<Segment> segments) {
        MessageDigest sha;
        try {
            sha = MessageDigest.getInstance("SHA-256");
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("every JDK has SHA-256", e);
        }
        for (Segment s : segments) {
            if (s.speaker() != null) sha.update(words(s.speaker()).getBytes(StandardCharsets.UTF_8));
            sha.update(UNIT_SEPARATOR);
            sha.update(words(s.text()).getBytes(StandardCharsets.UTF_8));
            sha.update(RECORD_SEPARATOR);
        }
        return HexFormat.of().formatHex(sha.digest());
    }

    static String words(String text) {
        String lower = RegexWork.matcher(NOT_WORD, text.toLowerCase(Locale.ROOT)).replaceAll("");
        return RegexWork.matcher(SPACES, lower).replaceAll(" ").strip();
    }
}
