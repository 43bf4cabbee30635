package io.minutes.core.ingest;

import io.minutes.core.text.RegexWork;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * WebVTT, read leniently: real exports break the spec (Teams' short times, cues without a blank line between
 * them, blank lines between a timing and its text). A malformed timing line skips its cue with a warning.
 */
final class VttParser {

    static final String TIMING_EXAMPLE = "\"00:00:01.000 --> 00:00:04.000\"";
    private static final Pattern TIMING = Pattern.compile(
            "^\\s*(" + Timestamps.CLOCK + ")\\s*-->\\s*(" + Timestamps.CLOCK + ")(?:\\s.*)?$");
    // The annotation stops at the next "<" too: "[^>]*" scanned to the end of the line from every unclosed "<v ".
    private static final Pattern VOICE = Pattern.compile("<v(?:\\.[^\\s<>]*+)?(?:\\s++([^<>]*+))?>");
    private static final Pattern INLINE_TIMESTAMP = Pattern.compile("<\\d{1,2}:\\d{2}(?::\\d{2})?[.,]\\d+>");
    private static final Pattern SPEAKER_CHANGE = Pattern.compile(">>+");

    private record Cue(int line, double start, double end, List<String> lines) {
    }

    private record Voiced(String speaker, String text) {
    }

    private VttParser() {
    }

    static ParsedTranscript parse(List<String> lines) throws ParseException {
        if (lines.isEmpty() || !lines.get(0).stripLeading().startsWith("WEBVTT")) {
            throw new ParseException(1, "a WebVTT file must start with \"WEBVTT\", found \"" + excerpt(lines) + "\"");
        }
        List<String> warnings = new ArrayList<>();
        List<Cue> cues = readCues(lines, warnings);
        if (cues.isEmpty()) {
            int problemLine = firstTimingProblem(lines);
            if (problemLine > 0) {
                throw new ParseException(problemLine, "expected a cue timing like " + TIMING_EXAMPLE
                        + ", found \"" + lines.get(problemLine - 1).strip() + "\"");
            }
            return new ParsedTranscript("vtt", null, List.of(), warnings);
        }
        return new ParsedTranscript("vtt", null, toPieces(cues), warnings);
    }

    private static List<Cue> readCues(List<String> lines, List<String> warnings) {
        List<Cue> cues = new ArrayList<>();
        int i = skipHeader(lines);
        Cue current = null;
        boolean atBlockStart = true;
        boolean skippingBlock = false;
        for (; i < lines.size(); i++) {
            String line = lines.get(i);
            if (line.isBlank()) {
                // A cue whose text has not started yet survives blank lines (node-webvtt malformed.vtt).
                if (current != null && !current.lines().isEmpty()) current = null;
                atBlockStart = true;
                skippingBlock = false;
                continue;
            }
            if (skippingBlock) continue;
            if (line.contains("-->")) {
                Matcher m = RegexWork.matcher(TIMING, line);
                Double start = m.matches() ? Timestamps.seconds(m.group(1)) : null;
                Double end = m.matches() ? Timestamps.seconds(m.group(2)) : null;
                if (start == null || end == null) {
                    warnings.add("line " + (i + 1) + ": skipped a cue with a malformed timing \"" + line.strip()
                            + "\" (expected " + TIMING_EXAMPLE + ")");
                    current = null;
                    skippingBlock = true;
                    continue;
                }
                current = new Cue(i + 1, start, end, new ArrayList<>());
                cues.add(current);
                atBlockStart = false;
                continue;
            }
            if (atBlockStart && current == null) {
                if (isCommentOrStyleBlock(line)) {
                    skippingBlock = true;
                } else if (i + 1 < lines.size() && lines.get(i + 1).contains("-->")) {
                    atBlockStart = false; // a cue identifier
                    continue;
                } else {
                    warnings.add("line " + (i + 1) + ": ignored text outside any cue: \"" + clip(line.strip()) + "\"");
                    skippingBlock = true;
                }
                continue;
            }
            if (current != null) current.lines().add(line);
            atBlockStart = false;
        }
        return cues;
    }

    /** Header lines (WEBVTT, Kind:, Language:, Style: CSS ...) run until the first blank line or cue timing. */
    private static int skipHeader(List<String> lines) {
        int i = 1;
        while (i < lines.size() && !lines.get(i).isBlank() && !lines.get(i).contains("-->")) i++;
        return i;
    }

    private static boolean isCommentOrStyleBlock(String line) {
        String s = line.strip();
        for (String keyword : List.of("NOTE", "STYLE", "REGION")) {
            if (s.equals(keyword) || s.startsWith(keyword + " ") || s.startsWith(keyword + "\t")) return true;
        }
        return false;
    }

    private static int firstTimingProblem(List<String> lines) {
        for (int i = 1; i < lines.size(); i++) {
            if (lines.get(i).contains("-->")) return i + 1;
        }
        // No timing at all: point at the first line that should have been one.
        for (int i = skipHeader(lines); i < lines.size(); i++) {
            if (!lines.get(i).isBlank() && !isCommentOrStyleBlock(lines.get(i))) return i + 1;
        }
        return 0;
    }

    private static List<Piece> toPieces(List<Cue> cues) {
        boolean rolling = isRollingCaptions(cues);
        SpeakerLabels labels = new SpeakerLabels();
        for (Cue cue : cues) {
            if (!cue.lines().isEmpty()) labels.observe(withoutVoices(cue.lines().get(0)));
        }
        Set<String> speakers = labels.accepted();

        List<Piece> pieces = new ArrayList<>();
        List<String> previousLines = List.of();
        String speaker = null;
        for (Cue cue : cues) {
            List<String> cleaned = new ArrayList<>();
            for (String raw : cue.lines()) cleaned.add(CueText.stripMarkup(raw).strip());
            List<String> kept = rolling ? dropRepeatedLeadingLines(cleaned, previousLines) : cleaned;
            previousLines = cleaned;
            if (kept.stream().allMatch(String::isBlank)) continue; // empty or only a rolling repeat

            int firstKept = cue.lines().size() - kept.size();
            for (Voiced v : voiced(cue.lines().subList(firstKept, cue.lines().size()), speakers)) {
                if (v.speaker() != null) speaker = v.speaker();
                boolean speakerChanged = addSplitOnSpeakerChanges(pieces, speaker, cue, v.text());
                if (speakerChanged) speaker = null; // after ">>" we no longer know who speaks
            }
        }
        return pieces;
    }

    /** {@code >>} marks a new speaker whose name the captioner did not know. True when the text had one. */
    private static boolean addSplitOnSpeakerChanges(List<Piece> pieces, String speaker, Cue cue, String text) {
        String[] parts = RegexWork.split(SPEAKER_CHANGE, text, -1);
        pieces.add(Piece.of(speaker, cue.start(), cue.end(), parts[0]));
        for (int p = 1; p < parts.length; p++) {
            pieces.add(new Piece(null, cue.start(), cue.end(), parts[p], true));
        }
        return parts.length > 1;
    }

    /** Splits cue lines at voice tags and Zoom-style prefixes; text before any voice keeps the current speaker. */
    private static List<Voiced> voiced(List<String> lines, Set<String> speakers) {
        List<Voiced> out = new ArrayList<>();
        boolean first = true;
        for (String raw : lines) {
            Matcher m = RegexWork.matcher(VOICE, raw);
            int last = 0;
            String pendingSpeaker = null;
            boolean any = false;
            while (m.find()) {
                addVoiced(out, pendingSpeaker, raw.substring(last, m.start()), any);
                pendingSpeaker = m.group(1) == null ? null : CueText.decodeEntities(m.group(1)).strip();
                last = m.end();
                any = true;
            }
            String rest = raw.substring(last);
            if (!any && first) {
                SpeakerLabels.Labelled label = SpeakerLabels.candidate(rest);
                if (label != null && speakers.contains(label.speaker())) {
                    pendingSpeaker = label.speaker();
                    rest = label.text();
                    any = true;
                }
            }
            addVoiced(out, pendingSpeaker, rest, any);
            first = false;
        }
        return out;
    }

    private static void addVoiced(List<Voiced> out, String speaker, String raw, boolean forceSpeaker) {
        String text = CueText.stripMarkup(raw).strip();
        if (text.isEmpty() && !forceSpeaker) return;
        out.add(new Voiced(speaker, text));
    }

    private static String withoutVoices(String line) {
        return RegexWork.matcher(VOICE, line).find() ? "" : line;
    }

    /**
     * YouTube-style rolling captions repeat the previous cue's last line as the next cue's first line. Detected per
     * file (inline word timings, or most cues being two lines whose first is the previous cue's last line), because
     * in a normal transcript two people saying "Yeah." in a row is real speech; files with voice tags never roll.
     */
    private static boolean isRollingCaptions(List<Cue> cues) {
        int repeats = 0;
        List<String> previous = List.of();
        for (Cue cue : cues) {
            for (String line : cue.lines()) {
                if (RegexWork.matcher(VOICE, line).find()) return false;
                if (RegexWork.matcher(INLINE_TIMESTAMP, line).find()) return true;
            }
            List<String> cleaned = cue.lines().stream().map(l -> CueText.stripMarkup(l).strip())
                    .filter(l -> !l.isEmpty()).toList();
            List<String> prev = previous.stream().filter(l -> !l.isEmpty()).toList();
            // a rolling cue shows the previous line above the new one; a one-line repeat is someone saying it again
            if (cleaned.size() >= 2 && !prev.isEmpty() && cleaned.get(0).equals(prev.get(prev.size() - 1))) repeats++;
            previous = cleaned;
        }
        return cues.size() >= 3 && repeats * 3 >= cues.size();
    }

    private static List<String> dropRepeatedLeadingLines(List<String> lines, List<String> previous) {
        List<String> prevNonBlank = previous.stream().filter(l -> !l.isBlank()).toList();
        int skip = 0;
        while (skip < lines.size()) {
            String line = lines.get(skip);
            if (line.isBlank() || prevNonBlank.contains(line)) {
                skip++;
            } else {
                break;
            }
        }
        return lines.subList(skip, lines.size());
    }

    private static String excerpt(List<String> lines) {
        return lines.isEmpty() ? "" : clip(lines.get(0).strip());
    }

    static String clip(String s) {
        return s.length() <= 60 ? s : s.substring(0, 57) + "...";
    }
}
