package io.minutes.core.domain;

/** Something someone agreed to do. {@code owner} and {@code due} are null when the meeting does not say. */
public record ActionItem(String description, String owner, String due) {
}
