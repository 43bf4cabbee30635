package io.minutes.core.analysis;

import io.minutes.core.domain.Analysis;
import io.minutes.core.domain.Section;
import io.minutes.core.domain.Segment;
import io.minutes.core.domain.Transcript;
import io.minutes.core.port.Analyzer;
import io.minutes.core.style.LanguageChoice;
import io.minutes.core.style.MinutesStyle;
import io.minutes.core.style.Stylist;
import io.minutes.core.style.Templates;
import org.junit.jupiter.api.Test;

import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

class LocalAnalyzerStyleTest {
    static final Transcript STAND_UP = new Transcript("txt", List.of(
            Segment.of("Ana Silva", "Yesterday I finished the login page and merged it. Today I'm working on the password reset. No blockers."),
            Segment.of("Ben Okoro", "I reviewed two pull requests yesterday. I will write the sprint report today. I'm blocked on the staging database, waiting for ops."),
            Segment.of("Cem Arslan", "I fixed the flaky export test. Next I pick up the billing ticket.")));

    private static Analysis analyse(Stylist stylist, MinutesStyle asked, Transcript t) {
        Analyzer.Request request = new Analyzer.Request("m1", "Stand-up", t, null).withStyle(stylist.resolve(asked, t));
        return new LocalAnalyzer().analyze(request).analysis();
    }

    @Test
    void aStandUpIsGroupedPersonByPerson() {
        Analysis a = analyse(Stylist.ofDefaults(), null, STAND_UP);
        assertThat(a.template()).isEqualTo("stand-up");
        assertThat(a.language()).isEqualTo("en");
        assertThat(a.sections()).extracting(Section::name).containsExactly(
                "Done — Ana Silva", "Next — Ana Silva", "Done — Ben Okoro", "Next — Ben Okoro", "Blocked — Ben Okoro",
                "Done — Cem Arslan", "Next — Cem Arslan");
        assertThat(a.sections().get(4).items()).containsExactly("I'm blocked on the staging database, waiting for ops.");
        assertThat(a.warnings()).isEmpty();
    }

    @Test
    void anotherLanguageThanTheMeetingsIsAWarningNotAFailure() {
        Analysis a = analyse(new Stylist(Templates.builtIn(), new MinutesStyle(LanguageChoice.parse("de", "language"), "general")),
                null, STAND_UP);
        assertThat(a.language()).isEqualTo("en");
        assertThat(a.template()).isEqualTo("general");
        assertThat(a.warnings()).containsExactly("the built-in analyzer cannot translate: the minutes are in English, the language"
                + " of the meeting, not in German as asked; use a provider for minutes in another language");
    }

    @Test
    void aTemplateItCannotApplyIsSaid() {
        Analysis a = analyse(Stylist.ofDefaults(), new MinutesStyle(null, "council"), STAND_UP);
        assertThat(a.template()).isEqualTo("council");
        assertThat(a.sections()).isEmpty();
        assertThat(a.warnings()).singleElement().asString()
                .contains("applied only the general shape of the council template").contains("Motions, Votes, Outcomes");
    }
}
