package io.minutes.core.style;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class TemplateFileTest {
    static final String DESIGN_REVIEW = """
            # Minutes template for our design reviews
            name: design-review
            version: 2
            instructions: This is a design review. Record each proposal and the risks raised.
            section: Proposals | Each design proposal and who made it.
            section: Risks | Risks raised and who raised them.
            """;

    @Test
    void readsATeamsTemplate(@TempDir Path dir) throws IOException {
        Path file = Files.writeString(dir.resolve("design-review.txt"), DESIGN_REVIEW);
        Template t = TemplateFile.read(file);
        assertThat(t.id()).isEqualTo("design-review@2");
        assertThat(t.sectionNames()).containsExactly("Proposals", "Risks");
        assertThat(t.sections().get(1).instruction()).isEqualTo("Risks raised and who raised them.");
        assertThat(t.instructions()).startsWith("This is a design review.");
        assertThat(t.perPerson()).isFalse();
    }

    @Test
    void aMistakeNamesTheFileAndTheLine() {
        assertThatThrownBy(() -> TemplateFile.parse(DESIGN_REVIEW.replace("section: Risks", "sektion: Risks"), "team.txt"))
                .hasMessage("team.txt line 6: unknown key 'sektion' (keys: name, version, instructions, section, per-person)");
        assertThatThrownBy(() -> TemplateFile.parse(DESIGN_REVIEW.replace("name: design-review", "name: Design Review"), "team.txt"))
                .hasMessageStartingWith("team.txt line 2: name 'Design Review' must be lower-case letters");
        assertThatThrownBy(() -> TemplateFile.parse(DESIGN_REVIEW + "just words\n", "team.txt"))
                .hasMessageStartingWith("team.txt line 7: expected 'key: value'");
        assertThatThrownBy(() -> TemplateFile.parse(DESIGN_REVIEW.replace("version: 2\n", ""), "team.txt"))
                .hasMessageStartingWith("team.txt: no 'version:' line");
        assertThatThrownBy(() -> TemplateFile.parse(DESIGN_REVIEW + "per-person: maybe\n", "team.txt"))
                .hasMessage("team.txt line 7: per-person must be yes or no, got 'maybe'");
        assertThatThrownBy(() -> TemplateFile.parse(DESIGN_REVIEW + "section: Risks\n", "team.txt"))
                .hasMessage("team.txt line 7: section 'Risks' is given twice");
    }

    @Test
    void aMissingOrUnreadableFileIsNamed(@TempDir Path dir) throws IOException {
        assertThatThrownBy(() -> TemplateFile.read(dir.resolve("nope.txt"))).hasMessageEndingWith("nope.txt: not found");
        Path latin1 = Files.write(dir.resolve("latin1.txt"), new byte[]{'n', 'a', 'm', 'e', ':', ' ', (byte) 0xE9});
        assertThatThrownBy(() -> TemplateFile.read(latin1)).hasMessageEndingWith("latin1.txt: not UTF-8 text");
    }

    @Test
    void aTeamsTemplateReplacesABuiltInOfTheSameName() {
        Template own = TemplateFile.parse("name: stand-up\nversion: team-3\nsection: Wins\n", "x");
        assertThat(Templates.with(java.util.List.of(own)).find("stand-up")).contains(own);
        assertThat(Templates.builtIn().find("stand-up")).contains(Templates.STAND_UP);
    }
}
