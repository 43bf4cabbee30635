package io.minutes.store.postgres;

import java.net.URI;
import java.net.URISyntaxException;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.util.Locale;
import java.util.Optional;

/**
 * Where a PostgreSQL database is, as the user wrote it: {@code postgresql://user:password@host:port/db?options}
 * (also {@code postgres://}) or a JDBC URL {@code jdbc:postgresql://host:port/db?user=...}.
 * {@link #toString()} never shows the password.
 */
public record PostgresUrl(String jdbcUrl, String user, String password, String display) {

    /** True when {@code text} names a PostgreSQL database rather than a file. */
    public static boolean looksLikePostgres(String text) {
        String lower = text.strip().toLowerCase(Locale.ROOT);
        return lower.startsWith("postgresql://") || lower.startsWith("postgres://") || lower.startsWith("jdbc:postgresql:");
    }

    /** @throws IllegalArgumentException saying what is wrong and what is expected */
    public static PostgresUrl parse(String text) {
        String raw = text.strip();
        if (raw.toLowerCase(Locale.ROOT).startsWith("jdbc:postgresql:")) {
            return new PostgresUrl(raw, null, null, masked(raw));
        }
        if (!looksLikePostgres(raw)) {
            throw new IllegalArgumentException("a PostgreSQL URL starts with postgresql:// or jdbc:postgresql:, got '" + raw + "'");
        }
        URI uri;
        try {
            uri = new URI(raw);
        } catch (URISyntaxException e) {
            throw new IllegalArgumentException("is not a valid URL (" + e.getReason() + "); expected postgresql://user@host:port/database");
        }
        String host = uri.getHost();
        if (host == null || host.isEmpty()) {
            throw new IllegalArgumentException("names no host; expected postgresql://user@host:port/database, got '" + masked(raw) + "'");
        }
        String database = uri.getRawPath() == null ? "" : uri.getRawPath().replaceFirst("^/", "");
        if (database.isEmpty()) {
            throw new IllegalArgumentException("names no database; expected postgresql://user@host:port/database, got '" + masked(raw) + "'");
        }
        String user = null;
        String password = null;
        if (uri.getRawUserInfo() != null) {
            String[] parts = uri.getRawUserInfo().split(":", 2);
            user = decode(parts[0]);
            if (parts.length == 2) password = decode(parts[1]);
        }
        String hostPart = host.contains(":") && !host.startsWith("[") ? "[" + host + "]" : host;
        String jdbc = "jdbc:postgresql://" + hostPart + (uri.getPort() > 0 ? ":" + uri.getPort() : "") + "/" + database
                + (uri.getRawQuery() == null ? "" : "?" + uri.getRawQuery());
        String shown = "postgresql://" + (user == null ? "" : user + (password == null ? "" : ":***") + "@")
                + hostPart + (uri.getPort() > 0 ? ":" + uri.getPort() : "") + "/" + database;
        return new PostgresUrl(jdbc, user, password, shown);
    }

    public Optional<String> userName() {
        return Optional.ofNullable(user);
    }

    @Override
    public String toString() {
        return display;
    }

    private static String decode(String s) {
        return URLDecoder.decode(s, StandardCharsets.UTF_8);
    }

    private static String masked(String jdbc) {
        return jdbc.replaceAll("(?i)(password=)[^&]*", "$1***").replaceAll("(//[^/@:]*:)[^@/]*@", "$1***@");
    }
}
