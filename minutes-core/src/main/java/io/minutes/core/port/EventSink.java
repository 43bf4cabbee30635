package io.minutes.core.port;

import io.minutes.core.domain.ProgressEvent;

/** Where progress events go: the CLI's progress bar, later SSE. Must not block. */
@FunctionalInterface
public interface EventSink {
    void publish(ProgressEvent event);

    EventSink NONE = event -> { };
}
