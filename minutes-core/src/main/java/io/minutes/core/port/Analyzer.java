package io.minutes.core.port;

import io.minutes.core.domain.Analysis;
import io.minutes.core.domain.Transcript;
import io.minutes.core.domain.Usage;

/**
 * Turns a transcript into minutes. Implementations are called from many virtual threads at once.
 * A failure the caller should know about is thrown as {@link AnalyzerException} with its kind;
 * anything else thrown is treated as a bug and fails the meeting permanently.
 */
public interface Analyzer {

    /** The provider name as configured: local, sim, openai, anthropic. */
    String name();

    Result analyze(Request request) throws AnalyzerException;

    record Request(String meetingId, String title, Transcript transcript) {
    }

    record Result(Analysis analysis, Usage usage) {
    }
}
