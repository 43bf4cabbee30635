package io.minutes.server;

import java.util.regex.Pattern;

/**
 * What an uploaded file is called here. A client may send any file name ({@code /}, {@code ..\\a},
 * control characters, a 300-character extension): the name kept is its last path segment, printable,
 * at most {@link #MAX_LENGTH} characters, and the spooled copy's suffix is the extension only when it
 * is a short, plain one (it tells a Word file from a ZIP archive; anything else is read by content).
 */
final class UploadNames {
    static final int MAX_LENGTH = 200;
    private static final int MAX_EXTENSION = 12;
    private static final Pattern PLAIN_EXTENSION = Pattern.compile("\\.[A-Za-z0-9]{1," + MAX_EXTENSION + "}");
    private static final Pattern UNPRINTABLE = Pattern.compile("[\\p{Cntrl}\\p{Cf}]");

    private UploadNames() {
    }

    /** The file's own name, without folders; "upload" when nothing printable is left. */
    static String fileName(String sent) {
        if (sent == null) return "upload";
        String name = UNPRINTABLE.matcher(sent).replaceAll("");
        name = name.substring(Math.max(name.lastIndexOf('/'), name.lastIndexOf('\\')) + 1).strip();
        if (name.isEmpty() || name.equals(".") || name.equals("..")) return "upload";
        if (name.length() <= MAX_LENGTH) return name;
        // keep the end: the extension says what the file is
        int dot = name.lastIndexOf('.');
        String extension = dot > 0 && name.length() - dot <= MAX_EXTENSION + 1 ? name.substring(dot) : "";
        return name.substring(0, MAX_LENGTH - extension.length()) + extension;
    }

    /** The suffix of the spooled copy of {@code name}. */
    static String spoolSuffix(String name) {
        int dot = name.lastIndexOf('.');
        String extension = dot < 0 ? "" : name.substring(dot);
        return PLAIN_EXTENSION.matcher(extension).matches() ? extension : ".upload";
    }
}
