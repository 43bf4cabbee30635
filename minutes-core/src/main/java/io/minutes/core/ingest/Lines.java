package io.minutes.core.ingest;

import java.util.ArrayList;
import java.util.List;

/** Splits text into lines on CRLF, LF or CR, in any mix. */
final class Lines {

    private Lines() {
    }

    static List<String> split(String text) {
        List<String> lines = new ArrayList<>();
        int start = 0;
        for (int i = 0; i < text.length(); i++) {
            char c = text.charAt(i);
            if (c != '\n' && c != '\r') continue;
            lines.add(text.substring(start, i));
            if (c == '\r' && i + 1 < text.length() && text.charAt(i + 1) == '\n') i++;
            start = i + 1;
        }
        lines.add(text.substring(start));
        return List.copyOf(lines);
    }
}
