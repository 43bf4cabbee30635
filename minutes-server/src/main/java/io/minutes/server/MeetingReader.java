package io.minutes.server;

import io.minutes.core.port.MeetingStore.NewMeeting;

import java.nio.file.Path;
import java.util.List;

/**
 * Turns one uploaded file into the meetings it holds, the way {@code minutes run} reads a file
 * (a ZIP holds many, a recording goes to the blob store). A file that cannot be read becomes a
 * failed meeting naming the problem, never an exception.
 */
@FunctionalInterface
public interface MeetingReader {
    List<NewMeeting> read(String fileName, Path file);
}
