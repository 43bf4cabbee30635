package io.minutes.core.ingest;

import io.minutes.core.text.RegexWork;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Plain text and Markdown transcripts: {@code Name: text}, {@code **Name** - text}, {@code [00:01:02] Name: text},
 * ICSI {@code A:  text}, Otter and Teams (Word) {@code Name  0:12} header lines over the turn's text, and
 * paragraphs without speakers. Zoom chat exports go to {@link ZoomChatParser}.
 */
final class PlainTextParser {

    private static final Pattern LEADING_TIME = Pattern.compile(
            "^\\s*(?:\\[(" + Timestamps.CLOCK + ")]|\\((" + Timestamps.CLOCK + ")\\)|(" + Timestamps.CLOCK + "))\\s+");
    // **Name** - text, **Name**: text, **Name:** text
    private static final Pattern BOLD_LABEL = Pattern.compile("\\s*+\\*\\*([^*]++)\\*\\*\\s*+(?:[-–—:]\\s*+|$)((?s).*)");
    // Otter/Teams: "Jane Doe  0:12" (two spaces or a tab before the time) alone on a line, the turn's text below.
    // The name is words separated by single spaces (possessive): a lazy name followed by " {2,}" was quadratic on a
    // long run of spaces.
    private static final Pattern HEADER_LINE = Pattern.compile("\\s*+(\\p{L}[^\\t: ]*+(?: [^\\t: ]++)*+)"
            + "(?: {2,}+|[ \\f\\x0B]*+\\t\\s*+)(" + Timestamps.CLOCK + ")\\s*+");
    // ELITR/ICSI topic markers are metadata, not a speaker.
    private static final Pattern TOPIC_MARKER = Pattern.compile("^\\s*topic(?:_description)?:\\s", Pattern.CASE_INSENSITIVE);
    private static final Pattern MD_HEADING = Pattern.compile("^\\s{0,3}#{1,6}(\\s.*)?$");
    private static final Pattern MD_LINK = Pattern.compile("!?\\[([^\\[\\]]*+)]\\([^()]*+\\)");
    private static final Pattern MD_EMPHASIS = Pattern.compile("\\*\\*|__|(?<!\\w)[*_](?=\\S)|(?<=\\S)[*_](?!\\w)");

    private enum Kind { BLANK, STRUCTURE, TEXT, CERTAIN_TURN, POSSIBLE_TURN }

    /** {@code whole} is the line as text, used when a possible "Name:" label turns out not to be a speaker. */
    private record Line(Kind kind, Double time, String speaker, String text, String whole) {
    }

    private PlainTextParser() {
    }

    static ParsedTranscript parse(List<String> lines, boolean markdown) {
        List<String> warnings = new ArrayList<>();
        List<Line> parsed = new ArrayList<>();
        SpeakerLabels labels = new SpeakerLabels();
        for (String raw : lines) {
            Line line = classify(raw, markdown);
            parsed.add(line);
            if (line.kind() == Kind.TEXT || line.kind() == Kind.POSSIBLE_TURN) labels.observe(line.whole());
        }
        Set<String> speakers = labels.accepted();
        boolean hasSpeakers = parsed.stream().anyMatch(l -> isTurn(l, speakers));
        List<Piece> pieces = hasSpeakers ? turns(parsed, speakers, warnings) : paragraphs(parsed);
        return new ParsedTranscript(markdown ? "md" : "txt", null, pieces, warnings);
    }

    private static Line classify(String raw, boolean markdown) {
        if (raw.isBlank()) return new Line(Kind.BLANK, null, null, "", "");
        if (RegexWork.matcher(TOPIC_MARKER, raw).find() || (markdown && isMarkdownStructure(raw))) {
            return new Line(Kind.STRUCTURE, null, null, "", "");
        }
        String rest = raw;
        Double time = null;
        Matcher t = RegexWork.matcher(LEADING_TIME, rest);
        if (t.find()) {
            String clock = t.group(1) != null ? t.group(1) : t.group(2) != null ? t.group(2) : t.group(3);
            time = Timestamps.seconds(clock);
            rest = rest.substring(t.end());
        }
        Matcher header = RegexWork.matcher(HEADER_LINE, rest);
        if (time == null && header.matches() && SpeakerLabels.plausibleName(header.group(1).strip())) {
            return new Line(Kind.CERTAIN_TURN, Timestamps.seconds(header.group(2)), header.group(1).strip(), "", rest.strip());
        }
        Matcher bold = RegexWork.matcher(BOLD_LABEL, rest);
        String boldName = bold.matches() ? withoutTrailingColon(bold.group(1)).strip() : null;
        if (boldName != null && SpeakerLabels.plausibleName(boldName)) {
            String text = cleanText(bold.group(2), markdown);
            return new Line(Kind.CERTAIN_TURN, time, boldName, text, text);
        }
        String whole = cleanText(rest, markdown);
        SpeakerLabels.Labelled c = SpeakerLabels.candidate(whole);
        if (c != null) return new Line(Kind.POSSIBLE_TURN, time, c.speaker(), c.text(), whole);
        return new Line(Kind.TEXT, time, null, whole, whole);
    }

    /** Headings, tables, rules and indented code are the document around a Markdown transcript, not speech. */
    private static boolean isMarkdownStructure(String raw) {
        return RegexWork.matcher(MD_HEADING, raw).matches() || isMarkdownRule(raw)
                || raw.stripLeading().startsWith("|") || raw.contains(" | ")
                || raw.startsWith("    ") || raw.startsWith("\t");
    }

    private static String withoutTrailingColon(String s) {
        return s.endsWith(":") ? s.substring(0, s.length() - 1) : s;
    }

    /** "---", "* * *", "___": three or more of one of these, spaces between, at most three spaces before. */
    private static boolean isMarkdownRule(String raw) {
        int i = 0;
        while (i < raw.length() && i < 4 && Character.isWhitespace(raw.charAt(i))) i++;
        if (i == 4 || i == raw.length()) return false;
        char mark = raw.charAt(i);
        if (mark != '-' && mark != '*' && mark != '_') return false;
        int marks = 0;
        for (; i < raw.length(); i++) {
            char c = raw.charAt(i);
            if (c == mark) marks++;
            else if (!Character.isWhitespace(c)) return false;
        }
        return marks >= 3;
    }

    private static boolean isTurn(Line line, Set<String> speakers) {
        return line.kind() == Kind.CERTAIN_TURN
                || (line.kind() == Kind.POSSIBLE_TURN && speakers.contains(line.speaker()));
    }

    /**
     * Labelled lines start turns; other lines continue the current turn. Lines before the first label or after a
     * heading (a title block, an attendee list) are not speech and are left out with a warning.
     */
    private static List<Piece> turns(List<Line> lines, Set<String> speakers, List<String> warnings) {
        List<Piece> pieces = new ArrayList<>();
        String speaker = null;
        Double time = null;
        StringBuilder text = null;
        int ignored = 0;
        for (Line line : lines) {
            if (line.kind() == Kind.BLANK) continue;
            if (line.kind() == Kind.STRUCTURE || isTurn(line, speakers)) {
                if (text != null) pieces.add(Piece.of(speaker, time, null, text.toString()));
                text = null;
                if (line.kind() == Kind.STRUCTURE) continue;
                speaker = line.speaker();
                time = line.time();
                text = new StringBuilder(line.text());
            } else if (text != null) {
                text.append(' ').append(line.whole());
            } else {
                ignored++;
            }
        }
        if (text != null) pieces.add(Piece.of(speaker, time, null, text.toString()));
        if (ignored > 0) {
            warnings.add("left out " + ignored + " line(s) outside speaker turns (before the first speaker label "
                    + "or after a heading)");
        }
        return pieces;
    }

    /** No speakers: each paragraph (lines up to a blank line) is one segment. */
    private static List<Piece> paragraphs(List<Line> lines) {
        List<Piece> pieces = new ArrayList<>();
        StringBuilder paragraph = new StringBuilder();
        Double time = null;
        for (Line line : lines) {
            if (line.kind() == Kind.BLANK || line.kind() == Kind.STRUCTURE) {
                if (!paragraph.isEmpty()) pieces.add(new Piece(null, time, null, paragraph.toString(), true));
                paragraph.setLength(0);
                time = null;
                continue;
            }
            if (paragraph.isEmpty()) time = line.time();
            paragraph.append(' ').append(line.whole());
        }
        if (!paragraph.isEmpty()) pieces.add(new Piece(null, time, null, paragraph.toString(), true));
        return pieces;
    }

    private static String cleanText(String text, boolean markdown) {
        if (!markdown) return text;
        String noLinks = RegexWork.matcher(MD_LINK, text).replaceAll("$1");
        return RegexWork.matcher(MD_EMPHASIS, noLinks).replaceAll("");
    }
}
