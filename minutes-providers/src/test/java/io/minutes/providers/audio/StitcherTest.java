package io.minutes.providers.audio;

import io.minutes.core.domain.Segment;
import org.junit.jupiter.api.Test;

import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

class StitcherTest {

    private static Segment at(double start, double end, String text) {
        return new Segment(null, start, end, text);
    }

    @Test
    void timesMoveToTheRecordingAndEachPieceKeepsWhatItOwns() {
        ChunkPlan.Piece first = new ChunkPlan.Piece(0, 0, 100, true);
        ChunkPlan.Piece second = new ChunkPlan.Piece(98, 100, 200, true);

        List<Segment> stitched = Stitcher.stitch(List.of(
                new Stitcher.Heard(first, List.of(at(0, 50, " One."), at(50, 99.5, " Two."))),
                new Stitcher.Heard(second, List.of(at(0, 1.5, " Two."), at(2.1, 60, " Three."), at(60, 102, " Four.")))));

        assertThat(stitched).containsExactly(at(0, 50, "One."), at(50, 99.5, "Two."), at(100.1, 158, "Three."),
                at(158, 200, "Four."));
    }

    @Test
    void wordsHeardTwiceAcrossACutAreKeptOnce() {
        ChunkPlan.Piece first = new ChunkPlan.Piece(0, 0, 100, false);
        ChunkPlan.Piece second = new ChunkPlan.Piece(98, 100, 200, false);

        List<Segment> stitched = Stitcher.stitch(List.of(
                new Stitcher.Heard(first, List.of(Segment.of(null, "we ship on friday, and then the budget"))),
                new Stitcher.Heard(second, List.of(Segment.of(null, "Then the budget is next.")))));

        assertThat(stitched).extracting(Segment::text).containsExactly("we ship on friday, and then the budget", "is next.");
        assertThat(stitched).extracting(Segment::startSeconds).containsExactly(0.0, 100.0);
    }

    @Test
    void aLongSentenceSaidAgainAfterACutIsKept() {
        String said = "we will ship the release on tuesday after the review with the whole team present";
        assertThat(Stitcher.dropRepeatedWords(said, said)).isEqualTo(said);
    }

    @Test
    void oneRepeatedWordMayHaveBeenSaidTwice() {
        assertThat(Stitcher.dropRepeatedWords("I said no", "no, really")).isEqualTo("no, really");
    }

    @Test
    void timestampsNeverGoBackwards() {
        ChunkPlan.Piece whole = new ChunkPlan.Piece(0, 0, 30, true);

        List<Segment> stitched = Stitcher.stitch(List.of(new Stitcher.Heard(whole,
                List.of(at(0, 10, "a"), at(9, 12, "b"), at(11, 10.5, "c"), at(25, 40, "d")))));

        for (int i = 1; i < stitched.size(); i++) {
            assertThat(stitched.get(i).startSeconds()).isGreaterThanOrEqualTo(stitched.get(i - 1).endSeconds());
            assertThat(stitched.get(i).endSeconds()).isGreaterThanOrEqualTo(stitched.get(i).startSeconds());
        }
        assertThat(stitched.getLast().endSeconds()).as("clipped to the piece").isEqualTo(30.0);
    }
}
