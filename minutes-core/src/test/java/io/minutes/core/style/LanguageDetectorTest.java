package io.minutes.core.style;

import io.minutes.core.domain.Segment;
import io.minutes.core.domain.Transcript;
import io.minutes.core.testing.TestCorpus;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import java.io.IOException;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class LanguageDetectorTest {

    @ParameterizedTest(name = "{0}")
    @CsvSource(delimiter = '|', value = {
            "en|We will ship the beta on the third, and the team should write the guide before that because customers asked for it.",
            "de|Wir haben uns darauf geeinigt, dass die Beta am dritten erscheint, und ich schreibe die Anleitung noch vor dem Termin, wenn das für euch auch passt.",
            "fr|Nous avons décidé que la version bêta sort le trois, et je vais écrire le guide pour les clients avant cette date, mais il faut aussi que vous relisiez tout.",
            "es|Entonces hemos decidido que la beta sale el día tres y yo escribo la guía para los clientes, pero también tenemos que revisar las cuentas y hacer las pruebas ahora.",
            "nl|We hebben besloten dat de bèta op de derde uitkomt, en ik schrijf de handleiding voor de klanten maar jullie moeten die ook nog lezen voor het weekend.",
            "it|Abbiamo deciso che la beta esce il tre, e io scrivo la guida per i clienti, ma anche questo deve essere fatto perché è molto importante per tutto il gruppo.",
            "pt|Então nós decidimos que a versão beta sai no dia três, e eu vou fazer o guia para os clientes, mas também temos que rever isso com você porque não está pronto.",
    })
    void findsTheLanguageOfAMeeting(String language, String text) {
        assertThat(LanguageDetector.detect(text.repeat(2))).contains(language);
    }

    @Test
    void theMajorityLanguageWinsAMixedMeeting() {
        Transcript mixed = new Transcript("txt", List.of(
                Segment.of("Jana", "Hat auf „Danke“ mit 👍 reagiert"),
                Segment.of("Dev", "We should ship it on Friday, but the guide is not there yet and they would like to read it."),
                Segment.of("Ana", "I think that is fine, and we can write it with the team when the numbers are in.")));
        assertThat(LanguageDetector.detect(mixed)).contains("en");
    }

    @Test
    void tooFewWordsInAKnownLanguageIsNotAGuess() {
        assertThat(LanguageDetector.detect("Okay. Hmm. Yes! 12:30")).isEmpty();
    }

    @Test
    void realMeetingsAreEnglish() throws IOException {
        assertThat(LanguageDetector.detect(TemplateClassifierTest.read(TestCorpus.file("vtt/ethereum-pm__acdc-175_2026-02-19__transcript.vtt"))))
                .contains("en");
        assertThat(LanguageDetector.detect(TemplateClassifierTest.read(TestCorpus.file("summaries/qmsum__ES2004a.json"))))
                .contains("en");
    }

    @Test
    void aLanguageSettingIsAutoOrABcp47Code() {
        assertThat(LanguageChoice.parse("auto", "language").isAuto()).isTrue();
        assertThat(LanguageChoice.parse("pt-br", "language").code()).isEqualTo("pt-BR");
        assertThat(LanguageChoice.parse("de", "language").code()).isEqualTo("de");
        assertThat(LanguageChoice.englishName("de")).isEqualTo("German");
        for (String bad : List.of("german", "xx", "e", "de_DE_x_y_z", "en--US", "12")) {
            assertThatThrownBy(() -> LanguageChoice.parse(bad, "MINUTES_LANGUAGE"))
                    .as(bad).isInstanceOf(IllegalArgumentException.class)
                    .hasMessageStartingWith("MINUTES_LANGUAGE: '" + bad + "' is not a language");
        }
    }
}
