package io.minutes.server;

import java.util.regex.Pattern;

/** Infrastructure messages as API clients may read them: no database URLs, hosts or ports. */
final class Scrub {
    private static final Pattern URL = Pattern.compile("\\b(?:jdbc:)?[a-z][a-z0-9+.-]*://\\S+", Pattern.CASE_INSENSITIVE);
    private static final Pattern HOST_PORT = Pattern.compile("\\b(?:[\\w-]+\\.)*[\\w-]+:\\d{2,5}\\b|\\[[0-9a-fA-F:]+]:\\d{2,5}");

    private Scrub() {
    }

    static String hosts(String message) {
        if (message == null) return null;
        return HOST_PORT.matcher(URL.matcher(message).replaceAll("the database")).replaceAll("the database server");
    }
}
