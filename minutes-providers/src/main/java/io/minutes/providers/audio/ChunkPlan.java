package io.minutes.providers.audio;

import java.util.ArrayList;
import java.util.List;

/**
 * Where to cut a recording that is too big to send whole: pieces of at most {@code maxPieceSeconds},
 * cut in the middle of a silence where one lies in the second half of the allowed stretch (else at
 * the limit), each piece starting {@code overlapSeconds} before its cut so a word cut in two is heard
 * whole by one of them. Each piece "owns" the stretch from its cut to the next; the stitcher keeps
 * what a piece heard in the stretch it owns.
 */
public final class ChunkPlan {

    /**
     * {@code start..end} is what is sent; {@code ownedFrom..end} the part this piece answers for.
     * {@code atSilence} is false when no silence was found near the cut before {@code ownedFrom}.
     */
    public record Piece(double start, double ownedFrom, double end, boolean atSilence) {
        public double seconds() {
            return end - start;
        }
    }

    private ChunkPlan() {
    }

    public static List<Piece> plan(double duration, double maxPieceSeconds, double overlapSeconds,
                                   List<Ffmpeg.Silence> silences) {
        if (!(overlapSeconds >= 0) || !(maxPieceSeconds > 2 * overlapSeconds)) {
            throw new IllegalArgumentException("a piece of " + maxPieceSeconds + " s cannot hold an overlap of " + overlapSeconds + " s");
        }
        double owned = maxPieceSeconds - overlapSeconds;
        List<Piece> pieces = new ArrayList<>();
        double from = 0;
        boolean fromSilence = true;
        while (duration - from > owned) {
            double earliest = from + owned / 2;
            double latest = from + owned;
            double cut = latest;
            boolean atSilence = false;
            for (Ffmpeg.Silence silence : silences) {
                double middle = silence.middle();
                if (middle >= earliest && middle <= latest) {
                    cut = middle;
                    atSilence = true;
                }
            }
            pieces.add(new Piece(Math.max(0, from - overlapSeconds), from, cut, fromSilence));
            from = cut;
            fromSilence = atSilence;
        }
        pieces.add(new Piece(Math.max(0, from - overlapSeconds), from, duration, fromSilence));
        return pieces;
    }
}
