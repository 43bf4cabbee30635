package io.minutes.providers.audio;

import org.junit.jupiter.api.Test;

import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

class ChunkPlanTest {

    @Test
    void aRecordingThatFitsIsOnePiece() {
        assertThat(ChunkPlan.plan(100, 120, 2, List.of())).containsExactly(new ChunkPlan.Piece(0, 0, 100, true));
    }

    @Test
    void cutsInTheMiddleOfTheLatestSilenceThatKeepsThePieceUnderTheLimit() {
        List<Ffmpeg.Silence> silences = List.of(new Ffmpeg.Silence(30, 31), new Ffmpeg.Silence(80, 81),
                new Ffmpeg.Silence(90, 92), new Ffmpeg.Silence(150, 151), new Ffmpeg.Silence(190, 191));

        List<ChunkPlan.Piece> pieces = ChunkPlan.plan(240, 100, 2, silences);

        assertThat(pieces).extracting(ChunkPlan.Piece::ownedFrom).containsExactly(0.0, 91.0, 150.5);
        assertThat(pieces).extracting(ChunkPlan.Piece::start).containsExactly(0.0, 89.0, 148.5);
        assertThat(pieces).extracting(ChunkPlan.Piece::end).containsExactly(91.0, 150.5, 240.0);
        assertThat(pieces).allSatisfy(p -> {
            assertThat(p.seconds()).isLessThanOrEqualTo(100);
            assertThat(p.atSilence()).isTrue();
        });
    }

    @Test
    void withoutASilenceInReachItCutsAtTheLimitAndSaysSo() {
        List<ChunkPlan.Piece> pieces = ChunkPlan.plan(250, 100, 2, List.of(new Ffmpeg.Silence(10, 11)));

        assertThat(pieces).hasSize(3);
        assertThat(pieces.get(1).ownedFrom()).isCloseTo(98.0, within(1e-9));
        assertThat(pieces.get(1).atSilence()).isFalse();
        assertThat(pieces).allSatisfy(p -> assertThat(p.seconds()).isLessThanOrEqualTo(100));
        assertThat(pieces.getLast().end()).isEqualTo(250);
    }

    @Test
    void piecesCoverTheRecordingWithoutGaps() {
        List<ChunkPlan.Piece> pieces = ChunkPlan.plan(1800, 450, 2, List.of());
        for (int i = 1; i < pieces.size(); i++) {
            assertThat(pieces.get(i).ownedFrom()).isEqualTo(pieces.get(i - 1).end());
            assertThat(pieces.get(i).start()).isEqualTo(pieces.get(i).ownedFrom() - 2);
        }
        assertThat(pieces.getLast().end()).isEqualTo(1800);
    }
}
