package io.minutes.providers.emulator;

import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * One request of a provider batch as an emulator keeps it: not the request body (a 50,000-line batch would hold
 * hundreds of MB), only what its answer is derived from. What happens to it is read from markers a test puts in
 * the transcript: {@code EMULATE:server_error} (the line errors with a 500), {@code EMULATE:bad_request} (400),
 * {@code EMULATE:invalid_answer} (the model answers JSON that does not match the analysis schema).
 */
record EmulatedLine(String customId, String title, List<String> speakers, long promptTokens, Outcome outcome) {
    private static final Pattern TITLE = Pattern.compile("Meeting: ([^\\n]*)");
    private static final Pattern SPEAKER = Pattern.compile("(?m)^(?:\\[[0-9:]+\\] )?([^:\\n\\[\\]]{1,40}): ");

    enum Outcome { ANSWERED, SERVER_ERROR, BAD_REQUEST, INVALID_ANSWER }

    /** The line for a request whose user message is {@code userText} and whose whole body has {@code bodyChars} characters. */
    static EmulatedLine of(String customId, String userText, long bodyChars) {
        Matcher title = TITLE.matcher(userText);
        Set<String> speakers = new LinkedHashSet<>();
        Matcher speaker = SPEAKER.matcher(userText);
        while (speaker.find()) {
            String name = speaker.group(1).strip();
            if (!name.startsWith("Meeting") && !name.startsWith("Transcript")) speakers.add(name);
        }
        String lower = userText.toLowerCase(Locale.ROOT);
        Outcome outcome = lower.contains("emulate:server_error") ? Outcome.SERVER_ERROR
                : lower.contains("emulate:bad_request") ? Outcome.BAD_REQUEST
                : lower.contains("emulate:invalid_answer") ? Outcome.INVALID_ANSWER : Outcome.ANSWERED;
        return new EmulatedLine(customId, title.find() ? title.group(1).strip() : customId, new ArrayList<>(speakers),
                Math.max(1, bodyChars / 4), outcome);
    }
}
