package io.minutes.app.config;

import io.minutes.core.style.LanguageChoice;
import io.minutes.core.style.MinutesStyle;
import io.minutes.core.style.Stylist;
import io.minutes.core.style.Template;
import io.minutes.core.style.TemplateFile;
import io.minutes.core.style.Templates;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

/** The style section: the language and the template of the minutes, as the node's {@link Stylist}. */
public final class StyleSection {
    private StyleSection() {
    }

    public static final Section SECTION = Section.of("style", Settings.LANGUAGE, Settings.TEMPLATE);

    /**
     * What the template setting says: {@code name} a template's name (null: auto), {@code own} the template a
     * file gave (null: a built-in or auto).
     */
    public record TemplateSetting(String name, Template own) {
        static TemplateSetting parse(String raw) {
            if (raw.equalsIgnoreCase("auto")) return new TemplateSetting(null, null);
            if (Templates.builtIn().find(raw).isPresent()) return new TemplateSetting(raw, null);
            Path file = Path.of(raw);
            if (!Files.exists(file) && !raw.contains("/") && !raw.contains("\\") && !raw.contains(".")) {
                throw new IllegalArgumentException("'" + raw + "' is neither auto, a built-in template ("
                        + String.join(", ", Templates.builtIn().names()) + ") nor a template file");
            }
            Template own = TemplateFile.read(file);
            return new TemplateSetting(own.name(), own);
        }
    }

    /** The node's stylist: the settings' language and template, the built-in templates and the file's. */
    public static Stylist stylist(Config config) {
        TemplateSetting template = config.get(Settings.TEMPLATE);
        Templates known = template.own() == null ? Templates.builtIn() : Templates.with(List.of(template.own()));
        return new Stylist(known, new MinutesStyle(config.get(Settings.LANGUAGE), template.name()));
    }

    static LanguageChoice language(String raw) {
        return LanguageChoice.parse(raw, null);
    }
}
