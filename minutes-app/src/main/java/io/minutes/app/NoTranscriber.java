package io.minutes.app;

import io.minutes.core.domain.Failure;
import io.minutes.core.port.Transcriber;
import io.minutes.core.port.TranscriberException;

/** transcriber=none: a recording fails alone, with the settings that would let it through. */
final class NoTranscriber implements Transcriber {

    @Override
    public String name() {
        return "none";
    }

    @Override
    public Result transcribe(Request request) throws TranscriberException {
        throw new TranscriberException(Failure.of(Failure.Cause.INPUT, request.source() + " is a recording (" + request.format().extension()
                + ") and no transcriber is set: run again with --transcriber openai (key in OPENAI_API_KEY; "
                + "--transcriber-base-url for other servers) or --transcriber command --transcriber-command '...' "
                + "(or MINUTES_TRANSCRIBER in the environment, transcriber = ... in minutes.properties)"));
    }
}
