package io.minutes.core.privacy;

import io.minutes.core.domain.Segment;
import io.minutes.core.domain.Transcript;

import java.math.BigInteger;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Replaces e-mail addresses, IBANs (mod-97 checked), card numbers (Luhn checked) and phone numbers
 * in a transcript's text and speakers with {@code [EMAIL]}, {@code [IBAN]}, {@code [CARD]},
 * {@code [PHONE]}, before it leaves the house. A digit run that fails its checksum is not a card or
 * IBAN and is left alone (unless it looks like a phone number). What was replaced is counted and
 * added to the transcript's warnings, so the result records it.
 */
public class Redactor {

    public enum Kind {
        EMAIL("[EMAIL]", "e-mail address"),
        IBAN("[IBAN]", "IBAN"),
        CARD("[CARD]", "card number"),
        PHONE("[PHONE]", "phone number");

        final String mask;
        final String noun;

        Kind(String mask, String noun) {
            this.mask = mask;
            this.noun = noun;
        }
    }

    public record Redacted(Transcript transcript, Map<Kind, Integer> counts) {
        public int total() {
            return counts.values().stream().mapToInt(Integer::intValue).sum();
        }
    }

    private static final Pattern EMAIL = Pattern.compile(
            "[A-Za-z0-9._%+-]+@[A-Za-z0-9-]+(?:\\.[A-Za-z0-9-]+)*\\.[A-Za-z]{2,}");
    private static final Pattern IBAN = Pattern.compile(
            "\\b[A-Z]{2}\\d{2}(?:[ ]?[A-Z0-9]{4}){2,7}(?:[ ]?[A-Z0-9]{1,3})?\\b", Pattern.CASE_INSENSITIVE);
    private static final Pattern CARD = Pattern.compile("(?<![\\d-])\\d(?:[ -]?\\d){12,18}(?![\\d-])");
    private static final Pattern PHONE = Pattern.compile(
            "(?<![\\w+])(?:\\+\\d{1,3}[ .-]?)?(?:\\(\\d{1,4}\\)[ .-]?)?\\d{2,4}(?:[ .-]?\\d{2,4}){2,4}(?![\\w])");

    public Redacted redact(Transcript transcript) {
        Map<Kind, Integer> counts = new EnumMap<>(Kind.class);
        List<Segment> segments = new ArrayList<>(transcript.segments().size());
        for (Segment s : transcript.segments()) {
            String speaker = s.speaker() == null ? null : redact(s.speaker(), counts);
            segments.add(new Segment(speaker, s.startSeconds(), s.endSeconds(), redact(s.text(), counts), s.annotations()));
        }
        List<String> warnings = new ArrayList<>(transcript.warnings());
        if (!counts.isEmpty()) warnings.add(describe(counts));
        return new Redacted(new Transcript(transcript.format(), segments, warnings), Map.copyOf(counts));
    }

    /** The text with every match replaced; counts what it replaced. */
    public String redact(String text, Map<Kind, Integer> counts) {
        String out = replace(text, EMAIL, Kind.EMAIL, m -> true, counts);
        out = replace(out, IBAN, Kind.IBAN, Redactor::validIban, counts);
        out = replace(out, CARD, Kind.CARD, Redactor::luhn, counts);
        return replace(out, PHONE, Kind.PHONE, Redactor::phoneLike, counts);
    }

    static String describe(Map<Kind, Integer> counts) {
        StringBuilder s = new StringBuilder("redacted before any external call:");
        String sep = " ";
        for (Map.Entry<Kind, Integer> e : counts.entrySet()) {
            s.append(sep).append(e.getValue()).append(' ').append(e.getKey().noun).append(e.getValue() == 1 ? "" : "s");
            sep = ", ";
        }
        return s.toString();
    }

    private interface Check {
        boolean test(String match);
    }

    private static String replace(String text, Pattern pattern, Kind kind, Check check, Map<Kind, Integer> counts) {
        Matcher m = pattern.matcher(text);
        StringBuilder out = new StringBuilder();
        boolean any = false;
        while (m.find()) {
            if (!check.test(m.group())) continue;
            any = true;
            m.appendReplacement(out, Matcher.quoteReplacement(kind.mask));
            counts.merge(kind, 1, Integer::sum);
        }
        if (!any) return text;
        m.appendTail(out);
        return out.toString();
    }

    static boolean luhn(String candidate) {
        String digits = candidate.replaceAll("[^0-9]", "");
        if (digits.length() < 13 || digits.length() > 19) return false;
        int sum = 0;
        boolean twice = false;
        for (int i = digits.length() - 1; i >= 0; i--) {
            int d = digits.charAt(i) - '0';
            if (twice) {
                d *= 2;
                if (d > 9) d -= 9;
            }
            sum += d;
            twice = !twice;
        }
        return sum % 10 == 0;
    }

    static boolean validIban(String candidate) {
        String iban = candidate.replace(" ", "").toUpperCase(Locale.ROOT);
        if (iban.length() < 15 || iban.length() > 34) return false;
        String rearranged = iban.substring(4) + iban.substring(0, 4);
        StringBuilder numeric = new StringBuilder();
        for (char c : rearranged.toCharArray()) {
            if (Character.isDigit(c)) numeric.append(c);
            else if (c >= 'A' && c <= 'Z') numeric.append(c - 'A' + 10);
            else return false;
        }
        return new BigInteger(numeric.toString()).mod(BigInteger.valueOf(97)).intValue() == 1;
    }

    /** 7 to 15 digits (E.164 allows 15) with a separator or a + somewhere: a bare number like a year or amount is not a phone. */
    private static boolean phoneLike(String candidate) {
        long digits = candidate.chars().filter(Character::isDigit).count();
        boolean formatted = candidate.startsWith("+") || candidate.contains("(") || candidate.matches(".*\\d[ .-]\\d.*");
        return digits >= 7 && digits <= 15 && formatted;
    }
}
