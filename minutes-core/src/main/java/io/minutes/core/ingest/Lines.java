package io.minutes.core.ingest;

import java.util.List;

/** Splits text into lines on CRLF, LF or CR, in any mix. */
final class Lines {

    private Lines() {
    }

    static List<String> split(String text) {
        return List.of(text.split("\r\n|\r|\n", -1));
    }
}
