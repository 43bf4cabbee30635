package io.minutes.core.ingest;

import io.minutes.core.text.RegexWork;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Zoom chat exports: {@code HH:MM:SS<TAB>Name:<TAB>message}. Replies continue on the following lines (Zoom writes
 * them with a bare LF inside CRLF files). Emoji reactions are not speech and are left out ({@link #REACTION}).
 */
final class ZoomChatParser {

    static final Pattern MESSAGE = Pattern.compile("(\\d{1,2}:\\d{2}(?::\\d{2})?)\\t([^\\t]+?):\\t?((?s).*)");
    /**
     * A reaction line, as Zoom writes it in its UI's language: English {@code Reacted to "…" with 👍} (and the emoji
     * quoted instead of the text, as some clients write it) and {@code Removed a 👍 reaction from "…"}; German
     * {@code Hat auf "…" mit 👍 reagiert} (ACDC 175's chat export in the corpus). Other UI languages' phrases are not
     * recognised (none could be checked against a real export): such lines stay in as text.
     */
    private static final Pattern REACTION = Pattern.compile(
            "^(?:Reacted to .* with \\S+|Removed an? \\S+ reaction from .*|Hat auf .* mit \\S+ reagiert)\\s*$");
    private static final Pattern REPLY_HEADER = Pattern.compile("^Replying to \".*\"\\s*$");
    private static final Pattern ORGANISATION = Pattern.compile("(?<!\\s)\\s*+\\([^()]*+\\)\\s*+$");

    private ZoomChatParser() {
    }

    /** True when the first non-blank line is a chat message line. */
    static boolean looksLikeChat(List<String> lines) {
        for (String line : lines) {
            if (!line.isBlank()) return RegexWork.matcher(MESSAGE, line).matches();
        }
        return false;
    }

    static ParsedTranscript parse(List<String> lines) {
        List<Piece> pieces = new ArrayList<>();
        String speaker = null;
        Double time = null;
        StringBuilder text = null;
        int reactions = 0;
        for (String line : lines) {
            Matcher m = RegexWork.matcher(MESSAGE, line);
            if (m.matches()) {
                if (text != null) pieces.add(Piece.of(speaker, time, null, text.toString()));
                speaker = RegexWork.matcher(ORGANISATION, m.group(2).strip()).replaceAll("");
                time = Timestamps.seconds(m.group(1));
                String message = m.group(3).strip();
                if (RegexWork.matcher(REACTION, message).matches()) {
                    reactions++;
                    text = null;
                    continue;
                }
                text = new StringBuilder(RegexWork.matcher(REPLY_HEADER, message).matches() ? "" : message);
            } else if (text != null && !line.isBlank()) {
                text.append(' ').append(line.strip());
            }
        }
        if (text != null) pieces.add(Piece.of(speaker, time, null, text.toString()));
        List<String> warnings = reactions == 0 ? List.of() : List.of("left out " + reactions + " emoji reaction(s)");
        return new ParsedTranscript("chat", null, pieces, warnings);
    }
}
