package io.minutes.core.style;

import io.minutes.core.domain.Segment;
import io.minutes.core.domain.Transcript;
import org.junit.jupiter.api.Test;

import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class StylistTest {
    static final Transcript GERMAN = new Transcript("txt", List.of(
            Segment.of("Jana", "Wir haben uns darauf geeinigt, dass die Beta am dritten erscheint, und ich schreibe die Anleitung."),
            Segment.of("Tom", "Das ist gut, aber wir müssen noch die Rechnungen prüfen, wenn das für euch auch passt.")));

    @Test
    void autoWritesInTheLanguageTheMeetingWasHeldIn() {
        Style style = Stylist.ofDefaults().resolve(null, GERMAN);
        assertThat(style.language()).isEqualTo("de");
        assertThat(style.spokenLanguage()).isEqualTo("de");
        assertThat(style.translates()).isFalse();
        assertThat(style.templateChosen()).isTrue();
        assertThat(style.template()).isEqualTo(Templates.GENERAL);
    }

    @Test
    void aBatchsChoiceOverridesTheSettingsWhereItIsNotAuto() {
        Stylist node = new Stylist(Templates.builtIn(), new MinutesStyle(LanguageChoice.parse("fr", "language"), "council"));
        Style settings = node.resolve(null, GERMAN);
        assertThat(settings.language()).isEqualTo("fr");
        assertThat(settings.translates()).isTrue();
        assertThat(settings.template()).isEqualTo(Templates.COUNCIL);
        assertThat(settings.templateChosen()).isFalse();
        Style batch = node.resolve(new MinutesStyle(LanguageChoice.parse("en", "options.language"), null), GERMAN);
        assertThat(batch.language()).isEqualTo("en");
        assertThat(batch.template()).isEqualTo(Templates.COUNCIL);
        assertThat(node.resolve(new MinutesStyle(null, "retrospective"), GERMAN).template()).isEqualTo(Templates.RETROSPECTIVE);
    }

    @Test
    void theCacheKeyChangesWithTheTemplatesVersionAndTheLanguage() {
        Style a = new Style("de", "de", Templates.GENERAL, true);
        assertThat(a.cacheKeyPart()).isEqualTo("template=general@1;language=de");
        Template newer = new Template("general", "2", "", List.of(), false);
        assertThat(new Style("de", "de", newer, true).cacheKeyPart()).isNotEqualTo(a.cacheKeyPart());
        assertThat(new Style("en", "de", Templates.GENERAL, true).cacheKeyPart()).isNotEqualTo(a.cacheKeyPart());
    }

    @Test
    void anUnknownTemplateIsNamed() {
        assertThatThrownBy(() -> Stylist.ofDefaults().check("standup", "MINUTES_TEMPLATE"))
                .hasMessageStartingWith("MINUTES_TEMPLATE: 'standup' is not a template; use auto or one of: general, stand-up,");
    }
}
