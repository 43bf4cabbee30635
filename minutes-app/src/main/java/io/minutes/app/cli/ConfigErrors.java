package io.minutes.app.cli;

import io.minutes.app.config.ConfigException;

import java.io.PrintWriter;

final class ConfigErrors {
    private ConfigErrors() {
    }

    static void print(PrintWriter err, ConfigException e) {
        for (String problem : e.problems()) err.println("minutes: invalid configuration: " + problem);
        err.println("Run 'minutes config' to see every setting and where it came from, or add --help to the command.");
        err.flush();
    }
}
