package io.minutes.store.jdbc;

import java.util.ArrayList;
import java.util.List;

/**
 * A query with {@code :name} parameters turned into JDBC's {@code ?} placeholders, remembering
 * which name goes where. {@code --} comments are dropped; text in single quotes and PostgreSQL's
 * {@code ::type} casts are left alone.
 */
public record NamedSql(String name, String jdbcSql, List<String> parameterNames) {

    public static NamedSql parse(String name, String sql) {
        StringBuilder out = new StringBuilder(sql.length());
        List<String> names = new ArrayList<>();
        int i = 0;
        while (i < sql.length()) {
            char c = sql.charAt(i);
            if (c == '-' && sql.startsWith("--", i)) {
                int end = sql.indexOf('\n', i);
                i = end < 0 ? sql.length() : end;
            } else if (c == '\'') {
                int end = sql.indexOf('\'', i + 1);
                if (end < 0) throw new IllegalArgumentException(name + ": unterminated quote");
                out.append(sql, i, end + 1);
                i = end + 1;
            } else if (c == ':' && sql.startsWith("::", i)) {
                out.append("::");
                i += 2;
            } else if (c == ':' && i + 1 < sql.length() && Character.isJavaIdentifierStart(sql.charAt(i + 1))) {
                int end = i + 1;
                while (end < sql.length() && Character.isJavaIdentifierPart(sql.charAt(end))) end++;
                names.add(sql.substring(i + 1, end));
                out.append('?');
                i = end;
            } else {
                out.append(c);
                i++;
            }
        }
        return new NamedSql(name, out.toString().strip(), List.copyOf(names));
    }
}
