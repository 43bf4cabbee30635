package io.minutes.app.cli;

/** The one line a command says when its engine died (the stack trace is in the debug log only). */
public final class EngineDeath {
    private static final long MIB = 1 << 20;

    private EngineDeath() {
    }

    /** @param then what the user does next, e.g. "run the same command again to resume" */
    public static String describe(Throwable cause, String then) {
        if (cause instanceof OutOfMemoryError) {
            long heapMib = Runtime.getRuntime().maxMemory() / MIB;
            return "the JVM ran out of memory (heap " + heapMib + " MiB): raise it with MINUTES_JAVA_OPTS=-Xmx"
                    + suggestedHeapMib(heapMib) + "m or lower --concurrency; " + then
                    + " (what was stored is kept)";
        }
        return "the engine stopped on an internal error (" + cause.getClass().getSimpleName()
                + (cause.getMessage() == null ? "" : ": " + cause.getMessage()) + "; --log-level debug shows where); "
                + then + " (what was stored is kept)";
    }

    /** Twice the heap, in whole 256 MiB steps: a round figure to try. */
    static long suggestedHeapMib(long heapMib) {
        return Math.max(512, (heapMib * 2 + 255) / 256 * 256);
    }
}
