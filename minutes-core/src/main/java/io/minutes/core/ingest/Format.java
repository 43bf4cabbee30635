package io.minutes.core.ingest;

import io.minutes.core.text.RegexWork;
import java.util.List;
import java.util.Locale;
import java.util.regex.Pattern;

/** The text formats ingestion reads, detected from the content first and the file extension second. */
enum Format {
    VTT, SRT, JSON, CHAT, MARKDOWN, TEXT;

    static final String SUPPORTED = "WebVTT (.vtt), SubRip (.srt), plain text (.txt), Markdown (.md), "
            + "Zoom chat (.txt), transcript JSON (.json) and Word (.docx)";

    private static final Pattern SRT_INDEX = Pattern.compile("^\\s*\\d+\\s*$");
    private static final Pattern BRACKETED_TIME = Pattern.compile("^\\[\\s*\\d{1,2}:\\d");

    /** The format, or null when neither the content nor the extension says. */
    static Format detect(String text, List<String> lines, String extension) {
        String start = text.stripLeading();
        if (start.startsWith("WEBVTT")) return VTT;
        if (looksLikeSrt(lines)) return SRT;
        if (start.startsWith("{") || (start.startsWith("[") && !RegexWork.matcher(BRACKETED_TIME, start).find())) return JSON;
        if (ZoomChatParser.looksLikeChat(lines)) return CHAT;
        return switch (extension.toLowerCase(Locale.ROOT)) {
            case "vtt", "webvtt" -> VTT;
            case "srt" -> SRT;
            case "json" -> JSON;
            case "md", "markdown" -> MARKDOWN;
            case "txt", "text", "", "docx", "zip" -> TEXT; // not a Word file or a ZIP by its bytes: text it is
            default -> null;
        };
    }

    private static boolean looksLikeSrt(List<String> lines) {
        int i = 0;
        while (i < lines.size() && lines.get(i).isBlank()) i++;
        if (i + 1 >= lines.size()) return false;
        String first = lines.get(i);
        if (RegexWork.matcher(SrtParser.TIMING, first).matches()) return true;
        return RegexWork.matcher(SRT_INDEX, first).matches() && RegexWork.matcher(SrtParser.TIMING, lines.get(i + 1)).matches();
    }
}
