package io.minutes.core.ingest;

import io.minutes.core.domain.Segment;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.constraints.Size;
import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

class ContentHashTest {

    /** How the hash was made when the whole canonical text was built first: stored hashes must not change. */
    private static String asStored(List<Segment> segments) throws Exception {
        StringBuilder canonical = new StringBuilder();
        for (Segment s : segments) {
            canonical.append(s.speaker() == null ? "" : ContentHash.words(s.speaker())).append('\u001F')
                    .append(ContentHash.words(s.text())).append('\u001E');
        }
        return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256")
                .digest(canonical.toString().getBytes(StandardCharsets.UTF_8)));
    }

    @Test
    void hashingSegmentBySegmentGivesTheHashStoredMeetingsHave() throws Exception {
        List<Segment> segments = List.of(Segment.of("Zoë Ünal", "Grüß dich! Das Budget — 12 € — ist fertig."),
                Segment.of(null, "日本語 のテキスト, and emoji 🎉 too."), Segment.of("Bob", ""), Segment.of("", "ok"));

        assertThat(ContentHash.of(segments)).isEqualTo(asStored(segments));
        assertThat(ContentHash.of(List.of())).isEqualTo(asStored(List.of()));
    }

    @Property(tries = 200)
    void anyTranscriptHashesAsBefore(@ForAll @Size(max = 8) List<@Size(max = 3) List<String>> turns) throws Exception {
        List<Segment> segments = new ArrayList<>();
        for (List<String> turn : turns) {
            segments.add(Segment.of(turn.isEmpty() ? null : turn.getFirst(), String.join(" ", turn)));
        }
        assertThat(ContentHash.of(segments)).isEqualTo(asStored(segments));
    }
}
