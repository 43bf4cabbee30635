package io.minutes.app.cli;

/**
 * The exit statuses of every {@code minutes} command. They live beside the commands, not in
 * {@code Main}, so that {@code Main} depends on the commands and never the other way round.
 */
public final class ExitStatus {
    public static final int OK = 0;
    /** Some meetings failed, or the store or the output could not be written. */
    public static final int FAILED_MEETINGS = 1;
    public static final int USAGE = 2;
    public static final int INTERRUPTED = 130;

    private ExitStatus() {
    }
}
