package io.minutes.core.analysis;

import io.minutes.core.domain.Evidence;

import java.util.List;

/**
 * One cleaned sentence of the meeting.
 *
 * @param position  its index in meeting order
 * @param turn      the index of the segment (speaker turn) it came from
 * @param speaker   who said it, or null
 * @param said      the segment's text as the transcript has it (shared by the sentences of the segment, for quoting)
 * @param text      the cleaned text, as it may appear in the minutes
 * @param words     lower-case word tokens of {@code text}
 * @param terms     content terms (stopwords removed, stemmed) used for scoring
 */
record Sentence(int position, int turn, String speaker, Double startSeconds, String said, String text, List<String> words, List<String> terms) {

    boolean isQuestion() {
        return text.endsWith("?");
    }

    int wordCount() {
        return words.size();
    }

    /** Where this sentence was said, quoting the longest run of its words that the transcript has as they were said. */
    Evidence evidence() {
        return new Evidence(turn, startSeconds, speaker, VerbatimQuote.of(text, said));
    }
}
