package io.minutes.core.ingest;

import io.minutes.core.text.RegexWork;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** Cleans the text of a subtitle cue: markup tags, inline timestamps, ASS override codes, HTML entities. */
final class CueText {

    // Markup: closing tags, known formatting tags, any tag with classes or attributes, inline timestamps. A bare
    // unknown word in brackets (<laugh>, <inaudible>) is a noise tag the normaliser keeps as an annotation, and
    // "2<3,5>1" in prose is left alone.
    // Every scan stops at the next opening bracket, so an unclosed tag costs the text up to the next tag, not the
    // whole rest of the cue (thousands of unclosed "{\\" or "<b " were quadratic).
    private static final Pattern TAG = Pattern.compile("</[A-Za-z][^<>]*+>"
            + "|<(?i:c|i|b|u|s|v|ruby|rt|lang|font|br|span|p|em|strong|sup|sub|big|small|tt)(?:[.\\s/][^<>]*+)?>"
            + "|<[A-Za-z][\\w-]*+[.\\s/][^<>]*+>|<\\d{1,2}:\\d{2}(?::\\d{2})?[.,]\\d++>");
    private static final Pattern ASS_OVERRIDE = Pattern.compile("\\{\\\\[^{}]*+}");
    private static final Pattern ENTITY = Pattern.compile("&(#x[0-9A-Fa-f]++|#\\d++|[A-Za-z]++);");
    private static final Map<String, String> NAMED_ENTITIES = Map.ofEntries(
            Map.entry("amp", "&"), Map.entry("lt", "<"), Map.entry("gt", ">"), Map.entry("quot", "\""),
            Map.entry("apos", "'"), Map.entry("nbsp", " "), Map.entry("lrm", ""), Map.entry("rlm", ""),
            Map.entry("hellip", "…"), Map.entry("mdash", "—"), Map.entry("ndash", "–"));

    private CueText() {
    }

    static String stripMarkup(String text) {
        String noAss = RegexWork.matcher(ASS_OVERRIDE, text).replaceAll("");
        return decodeEntities(RegexWork.matcher(TAG, noAss).replaceAll(""));
    }

    static String decodeEntities(String text) {
        if (text.indexOf('&') < 0) return text;
        Matcher m = RegexWork.matcher(ENTITY, text);
        StringBuilder sb = new StringBuilder();
        while (m.find()) {
            m.appendReplacement(sb, Matcher.quoteReplacement(decodeEntity(m.group(1), m.group())));
        }
        m.appendTail(sb);
        return sb.toString();
    }

    private static String decodeEntity(String name, String original) {
        try {
            if (name.startsWith("#x")) return Character.toString(Integer.parseInt(name.substring(2), 16));
            if (name.startsWith("#")) return Character.toString(Integer.parseInt(name.substring(1)));
        } catch (IllegalArgumentException e) {
            return original;
        }
        return NAMED_ENTITIES.getOrDefault(name, original);
    }
}
