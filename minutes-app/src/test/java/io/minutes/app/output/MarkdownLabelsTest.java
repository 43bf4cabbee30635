package io.minutes.app.output;

import io.minutes.core.analysis.LocalAnalyzer;
import io.minutes.core.domain.ActionItem;
import io.minutes.core.domain.Analysis;
import io.minutes.core.domain.Evidence;
import io.minutes.core.domain.Finding;
import io.minutes.core.domain.MinutesWarning;
import io.minutes.core.domain.PartCoverage;
import io.minutes.core.domain.Transcript;
import io.minutes.core.ingest.IngestResult;
import io.minutes.core.ingest.Ingestor;
import io.minutes.core.port.Analyzer;
import io.minutes.core.style.LanguageChoice;
import io.minutes.core.style.MinutesStyle;
import io.minutes.core.style.Stylist;
import io.minutes.core.style.Templates;
import io.minutes.core.trust.CheckedAnalyzer;
import io.minutes.core.trust.MeetingDate;
import io.minutes.core.trust.UnsupportedItems;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Properties;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Every word the Markdown writes around what was said follows the minutes' language: the evidence, coverage and
 * unsupported lines, "unassigned", and the warnings of the checks and the built-in analyzer. The minutes come from
 * German and French meetings read as files, through the built-in analyzer and the checks every answer passes, with
 * a provider's answer (an owner who was not there, a quote that was never said) where the built-in analyzer gives none.
 */
class MarkdownLabelsTest {

    /**
     * A town council meeting as a Zoom transcript export writes it (cue numbers, "Name: text"); a speaker's cues in a
     * row are one segment, so the chair's first two cues are segment #0.
     */
    static final String GEMEINDERAT = """
            WEBVTT

            1
            00:00:04.000 --> 00:00:11.500
            Sabine Krüger: Guten Abend, ich eröffne die Sitzung des Gemeinderats. Wir sind beschlussfähig.

            2
            00:00:12.000 --> 00:00:24.000
            Sabine Krüger: Erster Punkt ist der Haushalt für das Freibad. Herr Yilmaz, Sie haben den Antrag vorbereitet.

            3
            00:00:25.000 --> 00:00:41.000
            Deniz Yilmaz: Ja. Ich beantrage, die Sanierung des Freibads in zwei Abschnitten zu finanzieren. Ich werde den geänderten Vertrag bis zum 20. März vorlegen.

            4
            00:00:42.000 --> 00:00:55.000
            Sabine Krüger: Wer ist dafür? Der Antrag ist einstimmig angenommen. Die Sanierung wird in zwei Abschnitten finanziert.

            5
            00:00:56.000 --> 00:01:10.000
            Jana Becker: Offen ist noch, ob das Land die Förderung für den zweiten Abschnitt bestätigt. Jemand muss beim Landratsamt nachfragen.
            """;

    static final String CONSEIL = """
            WEBVTT

            1
            00:00:03.000 --> 00:00:12.000
            Claire Martin: Bonsoir à toutes et à tous, la séance du conseil municipal est ouverte. Le quorum est atteint.

            2
            00:00:13.000 --> 00:00:29.000
            Claire Martin: Premier point, le budget de la médiathèque. Monsieur Dubois, vous présentez la délibération.

            3
            00:00:30.000 --> 00:00:47.000
            Paul Dubois: Oui. Je propose de voter le budget en deux tranches. Je vais envoyer le devis modifié avant le vingt mars.

            4
            00:00:48.000 --> 00:01:02.000
            Claire Martin: Qui est pour ? La délibération est adoptée à l'unanimité. Le budget sera voté en deux tranches.

            5
            00:01:03.000 --> 00:01:15.000
            Léa Girard: Il reste à savoir si la région confirme la subvention pour la deuxième tranche. Quelqu'un doit appeler la préfecture.
            """;

    /**
     * The minutes of {@code vtt} as the service keeps them: the built-in analyzer asked for English minutes and the
     * council template (it cannot do either, and says so), then a provider-like answer through the same checks.
     */
    private static Analysis minutes(String fileName, String vtt, List<ActionItem> answered, List<Finding> questions) {
        IngestResult.Ready read = (IngestResult.Ready) new Ingestor(0).ingest(fileName, vtt.getBytes(StandardCharsets.UTF_8));
        Transcript t = read.transcript();
        Stylist stylist = new Stylist(Templates.builtIn(), new MinutesStyle(LanguageChoice.parse("en", "language"), "council"));
        Analyzer.Request request = new Analyzer.Request("m1", read.title(), t, null).withStyle(stylist.resolve(null, t))
                .withMeetingDate(MeetingDate.of(fileName).orElse(null));
        Analysis local = new LocalAnalyzer().analyze(request).analysis();
        CheckedAnalyzer checks = new CheckedAnalyzer(new LocalAnalyzer(), UnsupportedItems.MARK);
        return checks.check(local.withItems(answered, local.decisions(), questions), request)
                .withWarning(Analysis.REPAIRED_ANSWER_WARNING)
                .withCoverage(List.of(new PartCoverage(1, 2, 2, 1, 0), new PartCoverage(2, 2, 1, 0, 1)));
    }

    @Test
    void germanMinutesSayEveryLabelInGerman() {
        Analysis a = minutes("gemeinderat-2026-03-12.vtt", GEMEINDERAT, List.of(
                        new ActionItem("Geänderten Vertrag vorlegen", "Deniz", "bis zum 20. März", null,
                                new Evidence(1, null, "Deniz Yilmaz", "Ich werde den geänderten Vertrag bis zum 20. März vorlegen"), true),
                        // the model named someone who was not there, and quoted what nobody said
                        new ActionItem("Beim Landratsamt nachfragen", "Herr Schulz", null, null,
                                new Evidence(3, null, "Jana Becker", "Herr Schulz ruft morgen beim Landratsamt an"), true)),
                List.of(new Finding("Bestätigt das Land die Förderung für den zweiten Abschnitt?",
                        new Evidence(3, null, "Jana Becker", "ob das Land die Förderung für den zweiten Abschnitt bestätigt"), true)));
        assertThat(a.language()).isEqualTo("de");

        String md = MarkdownMinutes.render(a, "gemeinderat-2026-03-12.vtt", MeetingDate.of("gemeinderat-2026-03-12.vtt").orElseThrow(), List.of());

        assertThat(md).contains(
                "_Quelle: gemeinderat-2026-03-12.vtt · Datum: 2026-03-12_",
                "- [ ] Geänderten Vertrag vorlegen — **Deniz Yilmaz** (fällig bis zum 20. März)\n"
                        + "  <br>_Deniz Yilmaz, 00:00:25, Segment #1_: “Ich werde den geänderten Vertrag bis zum 20. März vorlegen”\n",
                "- [ ] Beim Landratsamt nachfragen — _nicht zugewiesen_ — ⚠ _nicht belegt: das Zitat steht nicht im Transkript_\n",
                "## Abdeckung\n\n- Teil 1 von 2: 2 Aufgaben, 1 Beschluss, 0 offene Fragen\n- Teil 2 von 2: 1 Aufgabe, 0 Beschlüsse, 1 offene Frage\n",
                "> **Hinweis:** Der eingebaute Analysator kann nicht übersetzen: Das Protokoll ist auf Deutsch, der Sprache der "
                        + "Besprechung, nicht auf Englisch wie gewünscht",
                "> **Hinweis:** Der eingebaute Analysator hat von der Vorlage council nur die allgemeine Form angewendet",
                "> **Hinweis:** Beleg nicht im Transkript gefunden bei 1 Punkt; er bleibt, als nicht belegt markiert",
                "> **Hinweis:** Die erste Antwort des Anbieters entsprach nicht dem Analyseschema");
        assertThat(md).doesNotContain("unassigned", "unsupported:", "segment #", "Part ", "Coverage", "evidence was",
                "the built-in analyzer", "provider's first answer", "Source:", "Note:");
    }

    @Test
    void frenchMinutesSayEveryLabelInFrench() {
        Analysis a = minutes("conseil-municipal.vtt", CONSEIL, List.of(
                        new ActionItem("Envoyer le devis modifié", "Paul", "avant le vingt mars", null,
                                new Evidence(1, null, "Paul Dubois", "Je vais envoyer le devis modifié avant le vingt mars"), true),
                        new ActionItem("Appeler la préfecture", null, null, null,
                                new Evidence(3, null, "Léa Girard", "Quelqu'un doit appeler la préfecture"), true)),
                List.of());
        assertThat(a.language()).isEqualTo("fr");

        String md = MarkdownMinutes.render(a, "conseil-municipal.vtt", null, List.of());

        assertThat(md).contains(
                "_Source: conseil-municipal.vtt_\n",
                "- [ ] Envoyer le devis modifié — **Paul Dubois** (échéance avant le vingt mars)\n"
                        + "  <br>_Paul Dubois, 00:00:30, segment #1_: “Je vais envoyer le devis modifié avant le vingt mars”\n",
                "- [ ] Appeler la préfecture — _non attribuée_\n  <br>_Léa Girard, 00:01:03, segment #3_",
                "## Couverture\n\n- Partie 1 sur 2 : 2 actions, 1 décision, 0 question ouverte\n"
                        + "- Partie 2 sur 2 : 1 action, 0 décision, 1 question ouverte\n",
                "> **Remarque:** L'analyseur intégré ne peut pas traduire : le compte rendu est en français, la langue de la "
                        + "réunion, et non en anglais comme demandé",
                "> **Remarque:** L'analyseur intégré n'a appliqué que la forme générale du modèle council",
                "> **Remarque:** La première réponse du fournisseur ne respectait pas le schéma d'analyse ; un appel de "
                        + "réparation l'a corrigée");
        assertThat(md).doesNotContain("unassigned", "Part ", "Coverage", "the built-in analyzer", "Note:", "''");
    }

    @Test
    void theEnglishLabelsWriteEachWarningAsCoreWritesIt() {
        MarkdownLabels english = MarkdownLabels.of("en");
        for (String warning : List.of(MinutesWarning.unsupported(1, true), MinutesWarning.unsupported(12, false),
                MinutesWarning.unsupported(1000, true),
                MinutesWarning.cannotTranslate("English", "German"),
                MinutesWarning.templateShapeOnly("council", List.of("Motions", "Votes", "Outcomes")),
                Analysis.REPAIRED_ANSWER_WARNING)) {
            assertThat(MinutesWarning.read(warning)).as(warning).isPresent();
            assertThat(english.warning(warning)).isEqualTo(warning);
        }
        assertThat(english.warning("a provider's own warning")).isEqualTo("a provider's own warning");
    }

    @Test
    void countsAgreeWithTheirNouns() {
        assertThat(MarkdownLabels.of("de").warning(MinutesWarning.unsupported(3, true)))
                .isEqualTo("Beleg nicht im Transkript gefunden bei 3 Punkten; sie wurden weggelassen (unsupported-items: drop)");
        assertThat(MarkdownLabels.of("fr").warning(MinutesWarning.unsupported(3, false))).isEqualTo("La preuve de 3 éléments "
                + "n'a pas été trouvée dans la transcription ; ils sont conservés et marqués non étayés (unsupported-items: mark)");
        assertThat(MarkdownLabels.of("es").warning(MinutesWarning.unsupported(1, true))).isEqualTo("No se encontró en la "
                + "transcripción la evidencia de 1 elemento; se ha omitido (unsupported-items: drop)");
        assertThat(MarkdownLabels.of("es").text("coverage_part", 3, 5, 2, 0, 1))
                .isEqualTo("Parte 3 de 5: 2 tareas, 0 decisiones, 1 pregunta abierta");
    }

    @Test
    void everyLanguageHasEveryLabel() throws IOException {
        Properties english = labels("markdown.properties");
        for (String language : List.of("de", "fr", "es")) {
            assertThat(labels("markdown_" + language + ".properties").stringPropertyNames()).as(language)
                    .containsExactlyInAnyOrderElementsOf(english.stringPropertyNames());
        }
        assertThat(MinutesWarning.values()).as("a label for every kind of warning").allSatisfy(kind ->
                assertThat(english.stringPropertyNames()).contains("warning." + kind.name().toLowerCase(java.util.Locale.ROOT)));
    }

    private static Properties labels(String file) throws IOException {
        Properties p = new Properties();
        try (InputStream in = MarkdownLabels.class.getResourceAsStream(file)) {
            assertThat(in).as(file).isNotNull();
            p.load(new java.io.InputStreamReader(in, StandardCharsets.UTF_8));
        }
        return p;
    }
}
