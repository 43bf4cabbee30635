package io.minutes.core.privacy;

import io.minutes.core.domain.Segment;
import io.minutes.core.domain.Transcript;
import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

class RedactorTest {
    private final Redactor redactor = new Redactor();

    @Test
    void replacesEachKindAndRecordsItInTheWarnings() {
        Transcript t = new Transcript("txt", List.of(
                Segment.of("Ann", "Mail me at ann.lee@example.co.uk or call +44 20 7946 0958 tomorrow."),
                Segment.of("Bob", "Card 4111 1111 1111 1111, refund to DE89 3704 0044 0532 0130 00 please.")));

        Redactor.Redacted r = redactor.redact(t);

        assertThat(r.transcript().segments().get(0).text())
                .isEqualTo("Mail me at [EMAIL] or call [PHONE] tomorrow.");
        assertThat(r.transcript().segments().get(1).text())
                .isEqualTo("Card [CARD], refund to [IBAN] please.");
        assertThat(r.counts()).isEqualTo(Map.of(Redactor.Kind.EMAIL, 1, Redactor.Kind.PHONE, 1,
                Redactor.Kind.CARD, 1, Redactor.Kind.IBAN, 1));
        assertThat(r.transcript().warnings()).containsExactly(
                "redacted before any external call: 1 e-mail address, 1 IBAN, 1 card number, 1 phone number");
    }

    @Test
    void numbersThatFailTheirChecksumAreNotCardsNorIbans() {
        assertThat(Redactor.luhn("4111 1111 1111 1112")).isFalse();
        assertThat(Redactor.luhn("4111111111111111")).isTrue();
        assertThat(Redactor.validIban("DE89 3704 0044 0532 0130 00")).isTrue();
        assertThat(Redactor.validIban("DE88 3704 0044 0532 0130 00")).isFalse();
        assertThat(redactor.redact(new Transcript("txt", List.of(Segment.of(null, "Order 4111111111111112 and GB00 WEST 1234 5698 7654 32"))))
                .transcript().segments().get(0).text())
                .doesNotContain("[CARD]").doesNotContain("[IBAN]");
    }

    @Test
    void plainNumbersYearsAndTimesStay() {
        String text = "In 2024 we sold 1500 units at 10:30 for 12.50 dollars.";
        Redactor.Redacted r = redactor.redact(new Transcript("txt", List.of(Segment.of("A", text))));
        assertThat(r.transcript().segments().get(0).text()).isEqualTo(text);
        assertThat(r.total()).isZero();
        assertThat(r.transcript().warnings()).isEmpty();
    }
}
