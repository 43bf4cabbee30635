package io.minutes.core.domain;

/**
 * What a batch's minutes cost against what they would have cost in the realtime lane: {@code listUsd} (every
 * answered meeting at the list price), {@code paidUsd} (at the price of the lane each ran in) and
 * {@link #savedUsd()}. Meetings answered by no provider call (duplicates, cached answers) count nothing.
 */
public record Receipt(double listUsd, double paidUsd) {

    public static final Receipt NONE = new Receipt(0, 0);

    public double savedUsd() {
        return listUsd - paidUsd;
    }

    /** The receipt of these meetings (a batch's, in any order). */
    public static Receipt of(Iterable<Meeting> meetings) {
        double list = 0;
        double paid = 0;
        for (Meeting m : meetings) {
            if (m.usage() == null || m.duplicateOf() != null) continue;
            list += m.listCostOrCost();
            paid += m.usage().costUsd();
        }
        return new Receipt(list, paid);
    }
}
