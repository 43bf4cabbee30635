package io.minutes.core.domain;

/** What one part of a long meeting, analysed on its own, contributed: "part 3 of 5: 2 actions, 0 decisions". */
public record PartCoverage(int part, int parts, int actionItems, int decisions, int openQuestions) {
}
