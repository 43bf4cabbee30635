package io.minutes.app.output;

import java.util.Locale;
import java.util.Map;

/**
 * The words of the Markdown minutes around what the meeting said, in the minutes' language: English,
 * German, French and Spanish; minutes in another language keep the English labels (and say so once).
 */
record MarkdownLabels(String language, String summary, String actionItems, String decisions, String openQuestions,
                      String topics, String participants, String noneStated, String noSummary, String noSpeakers,
                      String name, String words, String talkTime, String due, String unassigned, String source,
                      String template, String writtenIn, String note) {

    static final MarkdownLabels ENGLISH = new MarkdownLabels("en", "Summary", "Action items", "Decisions", "Open questions",
            "Topics", "Participants", "None stated.", "No summary.", "No speakers named in the transcript.",
            "Name", "Words", "Talk time", "due", "unassigned", "Source", "Template", "Language", "Note");

    private static final Map<String, MarkdownLabels> BY_LANGUAGE = Map.of(
            "en", ENGLISH,
            "de", new MarkdownLabels("de", "Zusammenfassung", "Aufgaben", "Beschlüsse", "Offene Fragen", "Themen",
                    "Teilnehmende", "Keine genannt.", "Keine Zusammenfassung.", "Im Transkript sind keine Sprechenden genannt.",
                    "Name", "Wörter", "Redezeit", "fällig", "nicht zugewiesen", "Quelle", "Vorlage",
                    "Sprache", "Hinweis"),
            "fr", new MarkdownLabels("fr", "Résumé", "Actions", "Décisions", "Questions ouvertes", "Sujets", "Participants",
                    "Aucune mentionnée.", "Pas de résumé.", "Aucun intervenant nommé dans la transcription.", "Nom", "Mots",
                    "Temps de parole", "échéance", "non attribuée", "Source", "Modèle", "Langue", "Remarque"),
            "es", new MarkdownLabels("es", "Resumen", "Tareas", "Decisiones", "Preguntas abiertas", "Temas", "Participantes",
                    "Ninguna mencionada.", "Sin resumen.", "La transcripción no nombra a ningún participante.", "Nombre",
                    "Palabras", "Tiempo de palabra", "vence", "sin asignar", "Fuente", "Plantilla",
                    "Idioma", "Nota"));

    /** The labels for minutes in {@code language} (BCP 47; null: English). */
    static MarkdownLabels of(String language) {
        if (language == null) return ENGLISH;
        return BY_LANGUAGE.getOrDefault(language.split("-")[0].toLowerCase(Locale.ROOT), ENGLISH);
    }

    /** Minutes in {@code language} that these labels do not speak (English labels stand in for them). */
    boolean standInFor(String language) {
        return language != null && !language.split("-")[0].equalsIgnoreCase(this.language);
    }
}
