package io.minutes.core.testing;

import io.minutes.core.domain.Transcript;
import io.minutes.core.port.Analyzer;

/** Analyzer requests to send in tests: what a test leaves out is as the CLI sends it (no tenant, not prepared). */
public final class TestRequests {

    private TestRequests() {
    }

    public static Analyzer.Request request(String meetingId, String title, Transcript transcript) {
        return new Analyzer.Request(meetingId, title, transcript, null, null);
    }
}
