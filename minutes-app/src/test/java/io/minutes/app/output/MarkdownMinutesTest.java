package io.minutes.app.output;

import io.minutes.core.domain.ActionItem;
import io.minutes.core.domain.Analysis;
import io.minutes.core.domain.Evidence;
import io.minutes.core.domain.Finding;
import io.minutes.core.domain.PartCoverage;
import org.junit.jupiter.api.Test;

import java.time.LocalDate;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

class MarkdownMinutesTest {

    @Test
    void everyItemShowsWhereItWasSaidUnassignedOwnersUnsupportedItemsAndCoverage() {
        Analysis a = new Analysis("Launch", "We moved the launch.",
                List.of(new ActionItem("Send the plan", "Bob Stone", "by Friday", LocalDate.of(2026, 11, 20),
                                new Evidence(3, 3725.0, "Bob Stone", "I will send the plan by Friday"), true),
                        new ActionItem("Book a venue", null, null, null, new Evidence(4, null, null, "we need a venue"), false)),
                List.of(new Finding("Move the launch to March", new Evidence(2, 14.0, "Alice", "we decided to move the launch"), true)),
                List.of(), List.of(), List.of())
                .withCoverage(List.of(new PartCoverage(1, 2, 1, 1, 0), new PartCoverage(2, 2, 1, 0, 1)))
                .withUnsupported(1, "1 item's evidence was not found in the transcript; kept marked unsupported (unsupported-items: mark)");

        String md = MarkdownMinutes.render(a, "launch-2026-11-16.vtt");

        assertThat(md).contains(
                "- [ ] Send the plan — **Bob Stone** (due by Friday, 2026-11-20)\n  <br>_Bob Stone, 01:02:05, segment #3_: “I will send the plan by Friday”\n",
                "- [ ] Book a venue — _unassigned_ — ⚠ _unsupported: its quote was not found in the transcript_\n  <br>_segment #4_: “we need a venue”\n",
                "- Move the launch to March\n  <br>_Alice, 00:00:14, segment #2_: “we decided to move the launch”\n",
                "## Coverage\n\n- Part 1 of 2: 1 action, 1 decision, 0 open questions\n- Part 2 of 2: 1 action, 0 decisions, 1 open question\n",
                "> **Note:** 1 item's evidence was not found in the transcript; kept marked unsupported (unsupported-items: mark)");
    }
}
