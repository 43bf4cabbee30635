package io.minutes.app.cli;

import java.util.regex.Pattern;

/** Hides secrets in values shown to people: passwords in URLs, keys. */
final class Secrets {
    private static final Pattern URL_PASSWORD = Pattern.compile("(://[^:/@]+:)([^@]+)(@)");
    private static final Pattern PASSWORD_PARAM = Pattern.compile("((?:password|apikey|api_key|token)=)([^&;]+)",
            Pattern.CASE_INSENSITIVE);

    private Secrets() {
    }

    static String mask(String value) {
        if (value == null) return null;
        String masked = URL_PASSWORD.matcher(value).replaceAll("$1****$3");
        return PASSWORD_PARAM.matcher(masked).replaceAll("$1****");
    }
}
