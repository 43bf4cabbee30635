package io.minutes.providers.llm;

import com.fasterxml.jackson.core.JsonProcessingException;
import io.minutes.core.domain.Analysis;
import io.minutes.providers.http.ProviderHttp;

import java.util.List;

/** The words Minutes says to a model. */
final class Prompts {
    static final String SYSTEM = """
            You write the minutes of meetings from their transcripts. Answer with one JSON object with exactly \
            these properties: summary (string), action_items (array of {description, owner, due, evidence}; owner and \
            due are strings or null), decisions and open_questions (arrays of {text, evidence}), topics, participants \
            (arrays of strings). evidence is {segment, speaker, quote}: segment is the number N of the transcript \
            line "#N ..." that says the item, speaker who said it as that line names them (or null), quote a short \
            piece of that line, at most 25 words, copied word for word.
            Rules: use only what the transcript says; name an owner only when the meeting says who, as the transcript \
            spells the name, otherwise null; a due date only when the meeting states it, otherwise null; keep every \
            action item, decision and open question the meeting has, each with its evidence; write in the language \
            of the transcript. Timestamps [hh:mm:ss] mark when a turn starts.""";

    private Prompts() {
    }

    static String whole(String title, String transcript) {
        return "Meeting: " + title + "\nTranscript, one turn a line:\n\n" + transcript;
    }

    static String part(String title, String label, int total, TranscriptText.Part part) {
        String overlap = part.overlapTurns() == 0 ? ""
                : " Its first " + part.overlapTurns() + " turn(s) repeat the end of the previous part, for context only.";
        return "Meeting: " + title + "\nThe transcript is too long for one request. This is part " + label + " of "
                + total + part.span() + "." + overlap
                + " Write the minutes of this part only, keeping every action item, decision and open question in it."
                + "\nTranscript part " + label + ", one turn a line:\n\n" + part.text();
    }

    static String merge(String title, List<Analysis> parts) {
        StringBuilder sb = new StringBuilder("Meeting: ").append(title).append("\nThe transcript was too long for one request, so it was")
                .append(" analysed in ").append(parts.size()).append(" consecutive parts. Below are the minutes of each part as JSON,")
                .append(" in order. Merge them into the minutes of the whole meeting: one summary of the whole meeting;")
                .append(" keep every action item of every part (drop only duplicates from the overlap between parts);")
                .append(" likewise every decision and open question; keep each item's evidence as it is;")
                .append(" topics and participants without duplicates.\n");
        for (int i = 0; i < parts.size(); i++) {
            try {
                sb.append("\nMinutes of part ").append(i + 1).append(":\n")
                        .append(ProviderHttp.JSON.writeValueAsString(AnalysisSchema.toJson(parts.get(i)))).append('\n');
            } catch (JsonProcessingException e) {
                throw new IllegalStateException(e);
            }
        }
        return sb.toString();
    }
}
