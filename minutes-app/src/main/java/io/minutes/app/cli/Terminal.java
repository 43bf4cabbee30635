package io.minutes.app.cli;

import java.io.Console;

final class Terminal {
    private Terminal() {
    }

    /** Whether stdout is a terminal. Console.isTerminal() exists from JDK 22; on 21 a console means a terminal. */
    static boolean stdoutIsTerminal() {
        Console console = System.console();
        if (console == null) return false;
        try {
            return (Boolean) Console.class.getMethod("isTerminal").invoke(console);
        } catch (ReflectiveOperationException e) {
            return true;
        }
    }
}
