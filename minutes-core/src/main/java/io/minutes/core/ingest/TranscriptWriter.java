package io.minutes.core.ingest;

import io.minutes.core.text.RegexWork;
import io.minutes.core.domain.Segment;
import io.minutes.core.domain.Transcript;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * Writes a transcript as txt, srt, vtt or Minutes' JSON, in the shapes the parsers read back to the same segments
 * (what each format can carry: txt has no end times; in txt and srt, speakers are {@code Name:} labels, read back as
 * speakers when every turn has one or a name recurs). Long turns become several captions of at most
 * {@link #MAX_CUE_CHARS} characters with times shared out by length; reading merges them back into one turn.
 */
public final class TranscriptWriter {

    public enum Target {
        TXT, SRT, VTT, JSON;

        public static Target of(String name) {
            for (Target t : values()) {
                if (t.name().equalsIgnoreCase(name.strip())) return t;
            }
            throw new IllegalArgumentException("unknown transcript format \"" + name + "\"; use txt, srt, vtt or json");
        }
    }

    static final int MAX_CUE_CHARS = 80;
    private static final java.util.regex.Pattern HAS_WORD = java.util.regex.Pattern.compile("[\\p{L}\\p{N}]");
    private static final double WORDS_PER_SECOND = 2.5; // 150 words a minute, for a last turn without an end

    private record Cue(long startMs, long endMs, String speaker, String text, boolean newUnnamedTurn) {
    }

    private TranscriptWriter() {
    }

    /**
     * @param title kept by the JSON form only; may be null
     * @throws IllegalArgumentException for srt and vtt when a segment has no start time, naming it
     */
    public static String write(Transcript transcript, String title, Target target) {
        return switch (target) {
            case TXT -> txt(transcript);
            case SRT -> srt(cues(transcript, "SRT"));
            case VTT -> vtt(cues(transcript, "WebVTT"));
            case JSON -> json(transcript, title);
        };
    }

    private static String textWithAnnotations(Segment s) {
        StringBuilder text = new StringBuilder(s.text());
        for (String a : s.annotations()) text.append(" [").append(a).append(']');
        return text.toString();
    }

    private static String txt(Transcript transcript) {
        StringBuilder out = new StringBuilder();
        for (Segment s : transcript.segments()) {
            if (!out.isEmpty()) out.append('\n');
            if (s.startSeconds() != null) out.append('[').append(clock(millis(s.startSeconds()), '.')).append("] ");
            if (s.speaker() != null) out.append(s.speaker()).append(": ");
            out.append(textWithAnnotations(s)).append('\n');
        }
        return out.toString();
    }

    private static List<Cue> cues(Transcript transcript, String formatName) {
        List<Segment> segments = transcript.segments();
        List<Cue> cues = new ArrayList<>();
        for (int i = 0; i < segments.size(); i++) {
            Segment s = segments.get(i);
            if (s.startSeconds() == null) {
                throw new IllegalArgumentException("cannot write " + formatName + ": segment " + (i + 1)
                        + (s.speaker() == null ? "" : " (" + s.speaker() + ")") + " has no start time, and captions need "
                        + "times; this transcript came without timestamps, so write it as txt or json");
            }
            long start = millis(s.startSeconds());
            long end = s.endSeconds() != null ? millis(s.endSeconds()) : estimatedEnd(segments, i, start);
            end = Math.max(end, start);
            List<String> chunks = new ArrayList<>(chunks(s.text()));
            // annotations ride on the last caption: a caption of only [tags] has no words and would lose its time
            chunks.set(chunks.size() - 1, textWithAnnotations(new Segment(null, null, null, chunks.getLast(), s.annotations())));
            int total = chunks.stream().mapToInt(String::length).sum();
            int before = 0;
            for (int c = 0; c < chunks.size(); c++) {
                long from = start + (end - start) * before / Math.max(1, total);
                before += chunks.get(c).length();
                long to = c == chunks.size() - 1 ? end : start + (end - start) * before / Math.max(1, total);
                cues.add(new Cue(from, to, s.speaker(), chunks.get(c), c == 0 && s.speaker() == null && i > 0));
            }
        }
        return cues;
    }

    /** The next turn's start when it has one, else the words at a speaking pace. */
    private static long estimatedEnd(List<Segment> segments, int i, long start) {
        if (i + 1 < segments.size() && segments.get(i + 1).startSeconds() != null) {
            long next = millis(segments.get(i + 1).startSeconds());
            if (next > start) return next;
        }
        int words = segments.get(i).text().split("\\s+").length;
        return start + Math.max(1000, Math.round(words / WORDS_PER_SECOND * 1000));
    }

    /**
     * Splits at spaces into pieces of at most MAX_CUE_CHARS (a longer word is a piece of its own). Every piece has a
     * letter or digit: a caption of only "--" would be read as no speech and dropped, so such tokens stay with a word.
     */
    static List<String> chunks(String text) {
        List<String> units = new ArrayList<>();
        String wordless = "";
        for (String token : text.split(" ")) {
            boolean hasWord = RegexWork.matcher(HAS_WORD, token).find();
            if (!hasWord && !units.isEmpty()) {
                units.set(units.size() - 1, units.getLast() + " " + token);
            } else if (!hasWord) {
                wordless = wordless.isEmpty() ? token : wordless + " " + token;
            } else {
                units.add(wordless.isEmpty() ? token : wordless + " " + token);
                wordless = "";
            }
        }
        if (units.isEmpty()) return List.of(text);
        List<String> chunks = new ArrayList<>();
        StringBuilder chunk = new StringBuilder();
        for (String unit : units) {
            if (!chunk.isEmpty() && chunk.length() + 1 + unit.length() > MAX_CUE_CHARS) {
                chunks.add(chunk.toString());
                chunk.setLength(0);
            }
            if (!chunk.isEmpty()) chunk.append(' ');
            chunk.append(unit);
        }
        chunks.add(chunk.toString());
        return chunks;
    }

    private static String srt(List<Cue> cues) {
        StringBuilder out = new StringBuilder();
        for (int i = 0; i < cues.size(); i++) {
            Cue cue = cues.get(i);
            if (i > 0) out.append('\n');
            out.append(i + 1).append('\n')
                    .append(clock(cue.startMs(), ',')).append(" --> ").append(clock(cue.endMs(), ',')).append('\n');
            if (cue.newUnnamedTurn()) out.append(">> ");
            if (cue.speaker() != null) out.append(cue.speaker()).append(": ");
            out.append(cue.text()).append('\n');
        }
        return out.toString();
    }

    private static String vtt(List<Cue> cues) {
        StringBuilder out = new StringBuilder("WEBVTT\n");
        for (Cue cue : cues) {
            out.append('\n').append(clock(cue.startMs(), '.')).append(" --> ").append(clock(cue.endMs(), '.')).append('\n');
            if (cue.newUnnamedTurn()) out.append("&gt;&gt; ");
            if (cue.speaker() != null) out.append("<v ").append(escapeXml(cue.speaker())).append('>');
            out.append(escapeXml(cue.text())).append('\n');
        }
        return out.toString();
    }

    private static String json(Transcript transcript, String title) {
        StringBuilder out = new StringBuilder("{\n");
        if (title != null) out.append("  \"title\": ").append(jsonString(title)).append(",\n");
        out.append("  \"format\": ").append(jsonString(transcript.format())).append(",\n  \"segments\": [");
        List<Segment> segments = transcript.segments();
        for (int i = 0; i < segments.size(); i++) {
            Segment s = segments.get(i);
            out.append(i == 0 ? "\n" : ",\n").append("    {\"speaker\": ")
                    .append(s.speaker() == null ? "null" : jsonString(s.speaker()))
                    .append(", \"start\": ").append(jsonNumber(s.startSeconds()))
                    .append(", \"end\": ").append(jsonNumber(s.endSeconds()))
                    .append(", \"text\": ").append(jsonString(s.text()));
            if (!s.annotations().isEmpty()) {
                out.append(", \"annotations\": [");
                for (int a = 0; a < s.annotations().size(); a++) {
                    out.append(a == 0 ? "" : ", ").append(jsonString(s.annotations().get(a)));
                }
                out.append(']');
            }
            out.append('}');
        }
        return out.append(segments.isEmpty() ? "]\n}\n" : "\n  ]\n}\n").toString();
    }

    private static String jsonNumber(Double seconds) {
        return seconds == null ? "null" : Double.toString(seconds);
    }

    static String jsonString(String s) {
        StringBuilder out = new StringBuilder("\"");
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            switch (c) {
                case '"' -> out.append("\\\"");
                case '\\' -> out.append("\\\\");
                case '\n' -> out.append("\\n");
                case '\r' -> out.append("\\r");
                case '\t' -> out.append("\\t");
                default -> {
                    if (c < 0x20) {
                        out.append(String.format(Locale.ROOT, "\\u%04x", (int) c));
                    } else {
                        out.append(c);
                    }
                }
            }
        }
        return out.append('"').toString();
    }

    private static String escapeXml(String s) {
        return s.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;");
    }

    private static long millis(double seconds) {
        return Math.round(seconds * 1000);
    }

    /** 01:02:03.456 (WebVTT, text) or 01:02:03,456 (SubRip). */
    private static String clock(long ms, char separator) {
        return String.format(Locale.ROOT, "%02d:%02d:%02d%c%03d", ms / 3_600_000, ms / 60_000 % 60, ms / 1000 % 60,
                separator, ms % 1000);
    }
}
