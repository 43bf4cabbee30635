package io.minutes.core.ingest;

/**
 * A parsed stretch of text before normalisation. {@code breakBefore} marks a known change of turn even when the
 * speaker is unknown (a {@code >>} marker, a new paragraph), so the normaliser does not merge across it.
 */
record Piece(String speaker, Double start, Double end, String text, boolean breakBefore) {

    static Piece of(String speaker, Double start, Double end, String text) {
        return new Piece(speaker, start, end, text, false);
    }
}
