package io.minutes.server;

import com.fasterxml.jackson.core.StreamReadConstraints;
import com.fasterxml.jackson.core.exc.StreamConstraintsException;

import java.util.Locale;
import java.util.regex.Pattern;

/**
 * The parser's words about a JSON body, told as a user would need them: what is wrong, never the
 * parser's feature names or settings ({@code JsonReadFeature.ALLOW_...}, {@code StreamReadConstraints...},
 * {@code [Source: ...]}).
 */
final class JsonErrors {
    /** A parenthesised remark naming a parser feature or setting, such as "(to allow, enable `X`)". */
    private static final Pattern FEATURE_REMARK = Pattern.compile(
            "\\s*\\((?:[^()]|\\([^()]*\\))*?(?:Feature|`|StreamRead|jackson)(?:[^()]|\\([^()]*\\))*\\)", Pattern.CASE_INSENSITIVE);
    /** A clause telling the programmer which feature to enable. */
    private static final Pattern ENABLE_CLAUSE = Pattern.compile("[:;,]?\\s*(?:enable|use|to allow)\\b[^.;]*`[^`]*`[^.;]*", Pattern.CASE_INSENSITIVE);

    private JsonErrors() {
    }

    /** {@code message} without the parser's internals; a plain fallback when nothing readable is left. */
    static String plain(String message) {
        if (message == null) return "unexpected content";
        String m = message;
        int source = m.indexOf("[Source:");
        if (source >= 0) m = m.substring(0, source);
        m = FEATURE_REMARK.matcher(m).replaceAll("");
        m = ENABLE_CLAUSE.matcher(m).replaceAll("");
        m = m.replaceAll("\\s+", " ").strip().replaceAll("[:;,]$", "");
        String lower = m.toLowerCase(Locale.ROOT);
        if (m.isEmpty() || m.contains("`") || lower.contains("feature") || lower.contains("jackson")) return "unexpected content";
        return m;
    }

    /** What a body over one of the parser's size limits is told: which limit, and what to do. */
    static String tooLarge(StreamConstraintsException e) {
        String m = String.valueOf(e.getMessage()).toLowerCase(Locale.ROOT);
        StreamReadConstraints limits = StreamReadConstraints.defaults();
        if (m.startsWith("string value length")) {
            return String.format(Locale.ROOT, "a string in the body is longer than %,d characters, the most one JSON string may "
                    + "hold: send a transcript that large as a file upload (POST /api/v1/meetings/batch/upload)", limits.getMaxStringLength());
        }
        if (m.contains("nesting depth")) {
            return String.format(Locale.ROOT, "the body nests objects or arrays more than %,d levels deep: a batch needs 3", limits.getMaxNestingDepth());
        }
        if (m.startsWith("number value length")) {
            return String.format(Locale.ROOT, "a number in the body has more than %,d digits", limits.getMaxNumberLength());
        }
        if (m.startsWith("name length")) {
            return "a field name in the body is too long: the batch's fields are listed in /api/v1/openapi.json";
        }
        return "the body is too large for a JSON submission: send large transcripts as a file upload (POST /api/v1/meetings/batch/upload)";
    }
}
