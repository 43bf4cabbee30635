package io.minutes.core.analysis;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.regex.Pattern;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Example;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;

/** The stutter loop removes what the back-reference regex it replaced removed, without its stack overflow. */
class StutterPropertiesTest {

    /** The regex TextCleaner used until a 2 MB cue of one repeated word overflowed its stack. */
    private static final Pattern OLD_STUTTER = Pattern.compile("(?i)\\b(\\w+(?:'\\w+)?)(?:[\\s,]+\\1\\b)+");

    @Property(tries = 2_000)
    void removesWhatTheBackReferenceRegexRemoved(@ForAll("speech") String text) {
        assertThat(TextCleaner.withoutStutters(text)).isEqualTo(OLD_STUTTER.matcher(text).replaceAll("$1"));
    }

    @Provide
    Arbitrary<String> speech() {
        return Arbitraries.of("the", "The", "THE", "theory", "it", "it's", "It's", "s", "'", "_", "a1", " ", ", ", ",",
                "  ", "\t", ".", "-", "é", "x").list().ofMaxSize(12).map(parts -> String.join("", parts));
    }

    @Example
    void aTwoMegabyteRunOfOneWordBecomesOneWord() {
        assertThat(TextCleaner.withoutStutters("the ".repeat(500_000) + "plan")).isEqualTo("the plan");
    }
}
