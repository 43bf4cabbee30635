package io.minutes.core.ingest;

import java.util.List;

/** What a parser found: the pieces, warnings about skipped parts, and a title when the format carries one. */
record ParsedTranscript(String format, String title, List<Piece> pieces, List<String> warnings) {

    ParsedTranscript {
        pieces = List.copyOf(pieces);
        warnings = List.copyOf(warnings);
    }
}
