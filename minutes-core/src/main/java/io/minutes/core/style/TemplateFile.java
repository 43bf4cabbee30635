package io.minutes.core.style;

import java.io.IOException;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Set;

/**
 * A team's own template, read from a small text file (UTF-8), one {@code key: value} a line:
 * <pre>
 * # lines starting with # and blank lines are ignored
 * name: design-review
 * version: 2
 * instructions: This is a design review. Record each proposal and the risks raised.
 * section: Proposals | Each design proposal and who made it.
 * section: Risks | Risks raised and who raised them.
 * per-person: no
 * </pre>
 * {@code name} (lower-case letters, digits, '-') and {@code version} are required and identify the template's
 * answers in the result cache; {@code section} (a heading, then optionally '|' and what goes in it) repeats,
 * at least once; {@code instructions} and {@code per-person} (yes|no) are optional. Every mistake is reported
 * with the file and line.
 */
public final class TemplateFile {
    private static final Set<String> KEYS = Set.of("name", "version", "instructions", "section", "per-person");

    private TemplateFile() {
    }

    /** Thrown for a template file that cannot be used; the message names the file and, where it can, the line. */
    public static final class TemplateFileException extends IllegalArgumentException {
        TemplateFileException(String message) {
            super(message);
        }
    }

    public static Template read(Path file) {
        String text;
        try {
            text = StandardCharsets.UTF_8.newDecoder().decode(java.nio.ByteBuffer.wrap(Files.readAllBytes(file))).toString();
        } catch (NoSuchFileException e) {
            throw new TemplateFileException("template file " + file + ": not found");
        } catch (CharacterCodingException e) {
            throw new TemplateFileException("template file " + file + ": not UTF-8 text");
        } catch (IOException e) {
            throw new TemplateFileException("template file " + file + ": cannot be read (" + e.getMessage() + ")");
        }
        return parse(text, file.toString());
    }

    /** {@code where}: the file's name, for the messages. */
    public static Template parse(String text, String where) {
        String name = null;
        String version = null;
        String instructions = null;
        boolean perPerson = false;
        List<Template.Section> sections = new ArrayList<>();
        Set<String> seen = new HashSet<>();
        String[] lines = text.replace("\uFEFF", "").split("\r?\n", -1);
        for (int i = 0; i < lines.length; i++) {
            String line = lines[i].strip();
            String at = where + " line " + (i + 1) + ": ";
            if (line.isEmpty() || line.startsWith("#")) continue;
            int colon = line.indexOf(':');
            if (colon < 0) {
                throw new TemplateFileException(at + "expected 'key: value' (keys: name, version, instructions, section, per-person), got '"
                        + shorten(line) + "'");
            }
            String key = line.substring(0, colon).strip().toLowerCase(Locale.ROOT);
            String value = line.substring(colon + 1).strip();
            if (!KEYS.contains(key)) {
                throw new TemplateFileException(at + "unknown key '" + key + "' (keys: name, version, instructions, section, per-person)");
            }
            if (!key.equals("section") && !seen.add(key)) throw new TemplateFileException(at + "'" + key + "' is given twice");
            if (value.isEmpty()) throw new TemplateFileException(at + "'" + key + "' has no value");
            switch (key) {
                case "name" -> {
                    if (!Template.NAME.matcher(value).matches()) {
                        throw new TemplateFileException(at + "name '" + value + "' must be lower-case letters, digits and '-' (at most 40)");
                    }
                    name = value;
                }
                case "version" -> {
                    if (value.length() > 20 || !value.matches("[A-Za-z0-9._-]+")) {
                        throw new TemplateFileException(at + "version '" + shorten(value) + "' must be letters, digits, '.', '_' or '-' (at most 20)");
                    }
                    version = value;
                }
                case "instructions" -> instructions = value;
                case "per-person" -> {
                    if (!value.equalsIgnoreCase("yes") && !value.equalsIgnoreCase("no")) {
                        throw new TemplateFileException(at + "per-person must be yes or no, got '" + shorten(value) + "'");
                    }
                    perPerson = value.equalsIgnoreCase("yes");
                }
                default -> {
                    int bar = value.indexOf('|');
                    String heading = (bar < 0 ? value : value.substring(0, bar)).strip();
                    String what = bar < 0 ? "" : value.substring(bar + 1).strip();
                    if (heading.isEmpty()) throw new TemplateFileException(at + "a section needs a heading before '|'");
                    if (sections.stream().anyMatch(s -> s.name().equalsIgnoreCase(heading))) {
                        throw new TemplateFileException(at + "section '" + heading + "' is given twice");
                    }
                    sections.add(new Template.Section(heading, what));
                }
            }
        }
        if (name == null) throw new TemplateFileException(where + ": no 'name:' line (e.g. name: design-review)");
        if (version == null) throw new TemplateFileException(where + ": no 'version:' line (e.g. version: 1); change it whenever"
                + " you change the template, so the meetings it shaped are analysed again");
        if (sections.isEmpty()) throw new TemplateFileException(where + ": no 'section:' line (e.g. section: Risks | Risks raised)");
        return new Template(name, version, instructions, sections, perPerson);
    }

    private static String shorten(String s) {
        return s.length() <= 60 ? s : s.substring(0, 57) + "...";
    }
}
