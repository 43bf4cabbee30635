package io.minutes.core.style;

import java.util.List;
import java.util.Objects;
import java.util.regex.Pattern;

/**
 * The shape of a kind of meeting's minutes: {@code instructions} for whoever writes them, and the
 * {@code sections} they have beyond the general ones (summary, action items, decisions, open questions).
 * {@code name} and {@code version} identify it in the result cache: a template changed under the same name
 * must get a new version, so the meetings it shaped are analysed again and no other.
 * {@code perPerson}: its sections are written once per participant (a stand-up's done / next / blocked).
 */
public record Template(String name, String version, String instructions, List<Section> sections, boolean perPerson) {
    static final Pattern NAME = Pattern.compile("[a-z0-9][a-z0-9-]{0,39}");

    /** One section: its heading and what goes in it. */
    public record Section(String name, String instruction) {
        public Section {
            Objects.requireNonNull(name, "name");
            instruction = instruction == null ? "" : instruction;
        }
    }

    public Template {
        Objects.requireNonNull(name, "name");
        Objects.requireNonNull(version, "version");
        instructions = instructions == null ? "" : instructions;
        sections = List.copyOf(sections);
        if (!NAME.matcher(name).matches()) {
            throw new IllegalArgumentException("a template name is lower-case letters, digits and '-', got '" + name + "'");
        }
    }

    /** name@version, as the result cache and the output show it. */
    public String id() {
        return name + "@" + version;
    }

    public List<String> sectionNames() {
        return sections.stream().map(Section::name).toList();
    }
}
