package io.minutes.app.output;

import io.minutes.core.domain.ActionItem;
import io.minutes.core.domain.Analysis;
import io.minutes.core.domain.Finding;
import io.minutes.core.domain.Participant;
import io.minutes.core.domain.Section;
import org.junit.jupiter.api.Test;

import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

/** The Markdown's headings follow the minutes' language; the template and the language are shown. */
class MarkdownMinutesLanguageTest {

    private static Analysis minutes(String language, String template) {
        return new Analysis("Haushalt", "Der Rat hat den Plan beschlossen.",
                List.of(new ActionItem("Vertrag vorlegen", "Liu", "am Vierzehnten", null, null, true)),
                List.of(new Finding("Der Plan ist beschlossen.", null, true)), List.of(), List.of(),
                List.of(new Participant("Liu", 12, null)))
                .withLanguage(language).withTemplate(template)
                .withSections(List.of(new Section("Motions", List.of("Okafor moved the phased plan.")), new Section("Votes", List.of())));
    }

    @Test
    void germanMinutesHaveGermanHeadings() {
        String md = MarkdownMinutes.render(minutes("de", "council"), "haushalt.txt");
        assertThat(md).contains("_Quelle: haushalt.txt_", "_Vorlage: council · Sprache: de_", "## Zusammenfassung",
                "## Aufgaben", "- [ ] Vertrag vorlegen — **Liu** (fällig am Vierzehnten)", "## Beschlüsse",
                "## Offene Fragen\n\n_Keine genannt._", "## Teilnehmende", "| Name | Wörter | Redezeit |",
                "## Motions\n\n- Okafor moved the phased plan.", "## Votes\n\n_Keine genannt._");
        assertThat(md).doesNotContain("## Summary", "English");
    }

    @Test
    void frenchAndSpanishMinutesHaveTheirHeadings() {
        assertThat(MarkdownMinutes.render(minutes("fr", "general"), "x.txt")).contains("## Résumé", "## Décisions", "_Modèle: general · Langue: fr_");
        assertThat(MarkdownMinutes.render(minutes("es-MX", "general"), "x.txt")).contains("## Resumen", "## Preguntas abiertas");
    }

    @Test
    void anotherLanguageKeepsEnglishHeadingsAndSaysSoOnce() {
        String md = MarkdownMinutes.render(minutes("nl", "general"), "x.txt");
        assertThat(md).contains("## Summary", "_Template: general · Language: nl_");
        assertThat(md.split("their headings and labels are in English", -1)).hasSize(2);
        assertThat(md).contains("the minutes are in Dutch");
    }

    @Test
    void minutesWithoutALanguageAreAsBefore() {
        String md = MarkdownMinutes.render(minutes(null, null), "x.txt");
        assertThat(md).contains("_Source: x.txt_\n\n## Summary").doesNotContain("Template:");
    }
}
