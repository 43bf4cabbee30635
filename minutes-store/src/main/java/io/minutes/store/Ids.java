package io.minutes.store;

import java.security.SecureRandom;
import java.time.Instant;

/**
 * Ids like {@code mtg_01JH2Q8V3K7W9Z4XRNB5C6D7EF}: a prefix, the creation time in milliseconds as
 * 10 Crockford base32 characters (so ids sort by creation time), then 80 random bits.
 */
public final class Ids {
    private static final char[] CROCKFORD = "0123456789ABCDEFGHJKMNPQRSTVWXYZ".toCharArray();
    private static final SecureRandom RANDOM = new SecureRandom();

    private Ids() {
    }

    public static String batchId(Instant now) {
        return next("batch_", now);
    }

    public static String meetingId(Instant now) {
        return next("mtg_", now);
    }

    static String next(String prefix, Instant now) {
        StringBuilder id = new StringBuilder(prefix.length() + 26).append(prefix);
        appendBase32(id, now.toEpochMilli(), 10);
        byte[] random = new byte[10];
        RANDOM.nextBytes(random);
        appendBase32(id, toLong(random, 0, 5), 8);
        appendBase32(id, toLong(random, 5, 5), 8);
        return id.toString();
    }

    private static long toLong(byte[] bytes, int from, int count) {
        long value = 0;
        for (int i = from; i < from + count; i++) value = (value << 8) | (bytes[i] & 0xff);
        return value;
    }

    private static void appendBase32(StringBuilder out, long value, int digits) {
        for (int shift = (digits - 1) * 5; shift >= 0; shift -= 5) {
            out.append(CROCKFORD[(int) ((value >>> shift) & 31)]);
        }
    }
}
