package io.minutes.core.ingest;

/** A problem in the input itself, located by line (1-based, 0 when unknown). Never escapes {@link Ingestor}. */
final class ParseException extends Exception {

    private final int line;
    private final int column;

    ParseException(int line, String problem) {
        this(line, 0, problem);
    }

    ParseException(int line, int column, String problem) {
        super(problem, null, false, false);
        this.line = line;
        this.column = column;
    }

    /** "line 3, column 5", "line 3", or "" when the place is unknown. */
    String place() {
        if (line <= 0) return "";
        return column > 0 ? "line " + line + ", column " + column : "line " + line;
    }

    int line() {
        return line;
    }

    String problem() {
        return getMessage();
    }
}
