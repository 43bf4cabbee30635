package io.minutes.core.testing;

import io.minutes.core.domain.ActionItem;
import io.minutes.core.domain.Evidence;
import io.minutes.core.domain.Finding;

import java.util.Arrays;
import java.util.List;

/** Items of the minutes for tests that care about their words, not where they were said. */
public final class Items {
    private Items() {
    }

    /** A supported action item without evidence or resolved date. */
    public static ActionItem action(String description, String owner, String due) {
        return new ActionItem(description, owner, due, null, null, true);
    }

    /** A supported action item said in {@code segment} by {@code speaker}, quoting {@code quote}. */
    public static ActionItem action(String description, String owner, String due, int segment, String speaker, String quote) {
        return new ActionItem(description, owner, due, null, new Evidence(segment, null, speaker, quote), true);
    }

    public static Finding finding(String text) {
        return new Finding(text, null, true);
    }

    public static List<Finding> findings(String... texts) {
        return Arrays.stream(texts).map(Items::finding).toList();
    }

    public static List<String> texts(List<Finding> findings) {
        return findings.stream().map(Finding::text).toList();
    }
}
