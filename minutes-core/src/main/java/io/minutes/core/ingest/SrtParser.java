package io.minutes.core.ingest;

import io.minutes.core.text.RegexWork;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * SubRip: index, timing (comma or dot millis, optional X1:.. coordinates), text lines up to a blank line; speakers from
 * {@code Name: text} labels and {@code >>} speaker-change markers.
 */
final class SrtParser {

    static final String TIMING_EXAMPLE = "\"00:00:01,000 --> 00:00:04,000\"";
    static final Pattern TIMING = Pattern.compile(
            "^\\s*(" + Timestamps.CLOCK + ")\\s*-->\\s*(" + Timestamps.CLOCK + ")(?:\\s.*)?$");
    private static final Pattern INDEX = Pattern.compile("^\\s*\\d+\\s*$");
    private static final Pattern SPEAKER_CHANGE = Pattern.compile(">>+");

    private record Cue(double start, double end, List<String> lines) {
    }

    private SrtParser() {
    }

    static ParsedTranscript parse(List<String> lines) throws ParseException {
        List<String> warnings = new ArrayList<>();
        List<Cue> cues = new ArrayList<>();
        int firstProblem = 0;
        String firstProblemText = null;
        Cue current = null;
        for (int i = 0; i < lines.size(); i++) {
            String line = lines.get(i);
            if (line.isBlank()) {
                if (current != null && !current.lines().isEmpty()) current = null;
                continue;
            }
            boolean nextIsTiming = i + 1 < lines.size() && lines.get(i + 1).contains("-->");
            if (RegexWork.matcher(INDEX, line).matches() && nextIsTiming && (current == null || current.lines().isEmpty())) {
                continue;
            }
            if (line.contains("-->")) {
                Matcher m = RegexWork.matcher(TIMING, line);
                Double start = m.matches() ? Timestamps.seconds(m.group(1)) : null;
                Double end = m.matches() ? Timestamps.seconds(m.group(2)) : null;
                if (start != null && end != null) {
                    current = new Cue(start, end, new ArrayList<>());
                    cues.add(current);
                    continue;
                }
                warnings.add("line " + (i + 1) + ": skipped a subtitle with a malformed timing \"" + line.strip()
                        + "\" (expected " + TIMING_EXAMPLE + ")");
                current = null;
            }
            if (current == null) {
                if (firstProblem == 0) {
                    firstProblem = i + 1;
                    firstProblemText = line.strip();
                }
                continue;
            }
            current.lines().add(line);
        }
        if (cues.isEmpty() && firstProblem > 0) {
            throw new ParseException(firstProblem, "expected a subtitle number and a timing like " + TIMING_EXAMPLE
                    + ", found \"" + VttParser.clip(firstProblemText) + "\"");
        }
        return new ParsedTranscript("srt", null, toPieces(cues), warnings);
    }

    /** Broadcast captions mark a new, unnamed speaker with {@code >>}, often followed by a {@code NAME:} label. */
    private static List<Piece> toPieces(List<Cue> cues) {
        SpeakerLabels labels = new SpeakerLabels();
        List<List<String>> cueParts = new ArrayList<>();
        for (Cue cue : cues) {
            List<String> text = new ArrayList<>();
            for (String raw : cue.lines()) text.add(CueText.stripMarkup(raw).strip());
            List<String> parts = List.of(RegexWork.split(SPEAKER_CHANGE, String.join(" ", text), -1));
            for (int p = 0; p < parts.size(); p++) {
                // a part after ">>" is a marked turn, not unlabelled prose: it only counts when it carries a label
                if (p == 0 || SpeakerLabels.candidate(parts.get(p).strip()) != null) labels.observe(parts.get(p).strip());
            }
            cueParts.add(parts);
        }
        Set<String> speakers = labels.accepted();
        List<Piece> pieces = new ArrayList<>();
        String speaker = null;
        for (int c = 0; c < cues.size(); c++) {
            Cue cue = cues.get(c);
            List<String> parts = cueParts.get(c);
            for (int p = 0; p < parts.size(); p++) {
                String text = parts.get(p).strip();
                if (p > 0) speaker = null;
                SpeakerLabels.Labelled label = SpeakerLabels.candidate(text);
                if (label != null && speakers.contains(label.speaker())) {
                    speaker = label.speaker();
                    text = label.text();
                }
                pieces.add(new Piece(speaker, cue.start(), cue.end(), text, p > 0));
            }
        }
        return pieces;
    }
}
