package io.minutes.core.eval;

import java.util.List;

/** What {@link Evaluation} found, per meeting and over all meetings. */
public final class Scores {

    private Scores() {
    }

    /**
     * Extracted items against reference items. {@code extractedMatched}: extracted items that match some reference
     * item; {@code referenceMatched}: reference items matched by some extracted item.
     */
    public record Counts(int extracted, int reference, int extractedMatched, int referenceMatched) {
        public static final Counts ZERO = new Counts(0, 0, 0, 0);

        /** Null when nothing was extracted. */
        public Double precision() {
            return extracted == 0 ? null : (double) extractedMatched / extracted;
        }

        /** Null when the reference holds nothing. */
        public Double recall() {
            return reference == 0 ? null : (double) referenceMatched / reference;
        }

        public Counts plus(Counts o) {
            if (o == null) return this;
            return new Counts(extracted + o.extracted, reference + o.reference, extractedMatched + o.extractedMatched,
                    referenceMatched + o.referenceMatched);
        }
    }

    /**
     * Owners of the extracted action items. {@code notParticipants}: owners who are not a speaker of the transcript
     * (invented or misheard names); {@code referenceOwned}: matched reference actions that name an owner;
     * {@code ownerMatched}: of those, how many the matching extracted item gives to the same person.
     */
    public record Owners(int owned, int participants, int notParticipants, int referenceOwned, int ownerMatched) {
        public static final Owners ZERO = new Owners(0, 0, 0, 0, 0);

        public Owners plus(Owners o) {
            return new Owners(owned + o.owned, participants + o.participants, notParticipants + o.notParticipants,
                    referenceOwned + o.referenceOwned, ownerMatched + o.ownerMatched);
        }
    }

    /**
     * Where the items (action items, decisions, open questions) were said: {@code cited} items carry evidence,
     * {@code found} of those have their quote in the cited segment or one next to it (the rule of {@link io.minutes.core.trust.EvidenceCheck}).
     */
    public record EvidenceFound(int items, int cited, int found) {
        public static final EvidenceFound ZERO = new EvidenceFound(0, 0, 0);

        public EvidenceFound plus(EvidenceFound o) {
            return o == null ? this : new EvidenceFound(items + o.items, cited + o.cited, found + o.found);
        }
    }

    /** ROUGE F1 of the summary against the reference summary. */
    public record Summary(double rouge1F1, double rougeLF1) {
    }

    /**
     * One meeting. {@code actions}, {@code decisions} and {@code combined} (both kinds against both lists, for
     * references that file outcomes loosely under either) are null when the reference holds no such list;
     * {@code summary} is null when it holds no summary. {@code schemaValidFirstTry} is null when the analyzer does
     * not report it (the built-in analyzer always answers in shape). {@code error}: why the analyzer gave no minutes.
     */
    public record Meeting(String id, String source, String caveat, Counts actions, Counts decisions, Counts combined,
                          Owners owners, EvidenceFound evidence, Summary summary, Boolean schemaValidFirstTry, String error,
                          List<String> foundActions, List<String> foundDecisions) {
    }

    /** Sums over all meetings (precision and recall of the sums), and the mean ROUGE of the meetings with a summary. */
    public record Overall(int meetings, int failed, Counts actions, Counts decisions, Counts combined, Owners owners, EvidenceFound evidence,
                          Summary meanSummary, int summaries, int schemaValidFirstTry, int schemaReported) {
    }

    public record Report(String analyzer, List<Meeting> meetings, Overall overall) {
        public Report {
            meetings = List.copyOf(meetings);
        }
    }
}
