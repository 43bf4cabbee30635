package io.minutes.core.analysis;

import io.minutes.core.text.RegexWork;
import io.minutes.core.domain.Segment;
import io.minutes.core.domain.Transcript;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** Cleans every segment and cuts it into sentences, keeping speaker and meeting order. */
final class SentenceSplitter {

    private static final Pattern BOUNDARY = Pattern.compile("(?<![.?!])[.?!]++[\"')\\]]*+\\s+");
    private static final Set<String> ABBREVIATIONS = Set.of(
            "dr", "mr", "mrs", "ms", "prof", "st", "vs", "etc", "e.g", "i.e", "no", "approx", "jr", "sr", "inc", "ltd");

    private SentenceSplitter() {
    }

    /**
     * Every word and term is held once per meeting (a vocabulary of thousands), and each sentence's lists
     * are exactly as long as they need be: a 20 MiB transcript says millions of words.
     */
    static List<Sentence> split(Transcript transcript) {
        List<Sentence> out = new ArrayList<>();
        Map<String, String> vocabulary = new HashMap<>();
        List<Segment> segments = transcript.segments();
        for (int turn = 0; turn < segments.size(); turn++) {
            Segment segment = segments.get(turn);
            String cleaned = TextCleaner.clean(segment.text());
            for (String piece : splitText(cleaned)) {
                String text = TextCleaner.capitalize(TextCleaner.trimPiece(piece));
                List<String> words = held(Tokenizer.words(text), vocabulary);
                if (words.isEmpty()) continue;
                out.add(new Sentence(out.size(), turn, normaliseSpeaker(segment.speaker()), segment.startSeconds(),
                        segment.text(), text, words, held(Tokenizer.terms(words), vocabulary)));
            }
        }
        return out;
    }

    private static List<String> held(List<String> tokens, Map<String, String> vocabulary) {
        String[] held = new String[tokens.size()];
        for (int i = 0; i < held.length; i++) held[i] = vocabulary.computeIfAbsent(tokens.get(i), t -> t);
        return List.of(held);
    }

    static List<String> splitText(String text) {
        List<String> pieces = new ArrayList<>();
        Matcher m = RegexWork.matcher(BOUNDARY, text);
        int start = 0;
        while (m.find()) {
            if (endsWithAbbreviation(text, m.start())) continue;
            pieces.add(text.substring(start, m.end()).strip());
            start = m.end();
        }
        if (start < text.length()) pieces.add(text.substring(start).strip());
        pieces.removeIf(String::isEmpty);
        return pieces;
    }

    private static boolean endsWithAbbreviation(String text, int dotIndex) {
        if (text.charAt(dotIndex) != '.') return false;
        int i = dotIndex;
        while (i > 0 && !Character.isWhitespace(text.charAt(i - 1))) i--;
        String word = text.substring(i, dotIndex).toLowerCase(java.util.Locale.ROOT);
        return ABBREVIATIONS.contains(word) || (word.length() == 1 && Character.isLetter(word.charAt(0)));
    }

    static String normaliseSpeaker(String speaker) {
        if (speaker == null) return null;
        String s = speaker.strip();
        return s.isEmpty() ? null : s;
    }
}
