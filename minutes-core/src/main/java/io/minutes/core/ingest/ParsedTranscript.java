package io.minutes.core.ingest;

import java.time.LocalDate;
import java.util.List;

/**
 * What a parser found: the pieces, warnings about skipped parts, and a title and the meeting's date when the format
 * carries them.
 */
record ParsedTranscript(String format, String title, List<Piece> pieces, List<String> warnings, LocalDate date) {

    ParsedTranscript {
        pieces = List.copyOf(pieces);
        warnings = List.copyOf(warnings);
    }

    /** A format that carries no date. */
    ParsedTranscript(String format, String title, List<Piece> pieces, List<String> warnings) {
        this(format, title, pieces, warnings, null);
    }
}
