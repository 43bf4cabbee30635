package io.minutes.core.lane;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import org.junit.jupiter.api.Test;

class DeadlineTest {
    private static final Instant NOW = Instant.parse("2026-12-04T21:00:00Z");
    private static final ZoneId PARIS = ZoneId.of("Europe/Paris");

    @Test
    void aDurationCountsFromTheSubmission() {
        assertThat(Deadline.parse("8h").at(NOW, PARIS)).isEqualTo(NOW.plus(Duration.ofHours(8)));
        assertThat(Deadline.parse("90m").at(NOW, PARIS)).isEqualTo(NOW.plus(Duration.ofMinutes(90)));
        assertThat(Deadline.parse("2d").at(NOW, PARIS)).isEqualTo(NOW.plus(Duration.ofDays(2)));
    }

    @Test
    void anInstantWithAnOffsetIsThatInstant() {
        assertThat(Deadline.parse("2026-12-05T08:00:00Z").at(NOW, PARIS)).isEqualTo(Instant.parse("2026-12-05T08:00:00Z"));
        assertThat(Deadline.parse("2026-12-05T09:00+01:00").at(NOW, PARIS)).isEqualTo(Instant.parse("2026-12-05T08:00:00Z"));
    }

    @Test
    void aLocalDateTimeIsReadInTheSubmittersZone() {
        assertThat(Deadline.parse("2026-12-05 09:00").at(NOW, PARIS)).isEqualTo(Instant.parse("2026-12-05T08:00:00Z"));
        assertThat(Deadline.parse("2026-12-05T09:00").at(NOW, ZoneId.of("UTC"))).isEqualTo(Instant.parse("2026-12-05T09:00:00Z"));
    }

    @Test
    void aDeadlineInThePastIsRefusedNamingIt() {
        assertThatThrownBy(() -> Deadline.parse("2026-12-04T20:00:00Z").at(NOW, PARIS))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("'2026-12-04T20:00:00Z'").hasMessageContaining("not in the future");
        assertThatThrownBy(() -> Deadline.parse("0h")).hasMessageContaining("in the future");
    }

    @Test
    void aMalformedDeadlineSaysTheFormsItTakes() {
        assertThatThrownBy(() -> Deadline.parse("tomorrow"))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("'tomorrow'").hasMessageContaining("8h").hasMessageContaining("2026-12-05T08:00:00Z");
        assertThatThrownBy(() -> Deadline.parse("8 hours")).hasMessageContaining("duration from now");
    }
}
