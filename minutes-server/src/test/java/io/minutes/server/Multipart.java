package io.minutes.server;

import java.io.IOException;
import java.net.http.HttpRequest;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

/** multipart/form-data bodies for tests, as a browser or curl -F sends them. */
final class Multipart {
    private static final String BOUNDARY = "test-boundary-7d93";

    private Multipart() {
    }

    static HttpRequest of(HttpRequest.Builder builder, List<Path> files, String tier, String onDuplicate) throws IOException {
        return builder.header("Content-Type", "multipart/form-data; boundary=" + BOUNDARY)
                .POST(HttpRequest.BodyPublishers.ofByteArray(body(files, tier, onDuplicate))).build();
    }

    /** Files under 'files' and any other fields, in the map's order. */
    static HttpRequest of(HttpRequest.Builder builder, List<Path> files, java.util.Map<String, String> fields) throws IOException {
        var out = new java.io.ByteArrayOutputStream();
        for (var f : fields.entrySet()) field(out, f.getKey(), f.getValue());
        byte[] rest = body(files, null, null);
        out.write(rest);
        return builder.header("Content-Type", "multipart/form-data; boundary=" + BOUNDARY)
                .POST(HttpRequest.BodyPublishers.ofByteArray(out.toByteArray())).build();
    }

    /** One file under 'files' sent with the file name {@code fileName}, whatever it is. */
    static HttpRequest named(HttpRequest.Builder builder, String fileName, byte[] content) throws IOException {
        var out = new java.io.ByteArrayOutputStream();
        out.write(("--" + BOUNDARY + "\r\nContent-Disposition: form-data; name=\"files\"; filename=\""
                + fileName + "\"\r\nContent-Type: application/octet-stream\r\n\r\n").getBytes(StandardCharsets.UTF_8));
        out.write(content);
        out.write(("\r\n--" + BOUNDARY + "--\r\n").getBytes(StandardCharsets.UTF_8));
        return builder.header("Content-Type", "multipart/form-data; boundary=" + BOUNDARY)
                .POST(HttpRequest.BodyPublishers.ofByteArray(out.toByteArray())).build();
    }

    /** The same body with no Content-Length (chunked), so the server cannot refuse it up front. */
    static HttpRequest chunked(HttpRequest.Builder builder, Path file) throws IOException {
        byte[] body = body(List.of(file), null, null);
        return builder.header("Content-Type", "multipart/form-data; boundary=" + BOUNDARY)
                .POST(HttpRequest.BodyPublishers.ofInputStream(() -> new java.io.ByteArrayInputStream(body))).build();
    }

    private static byte[] body(List<Path> files, String tier, String onDuplicate) throws IOException {
        var out = new java.io.ByteArrayOutputStream();
        if (tier != null) field(out, "tier", tier);
        if (onDuplicate != null) field(out, "on_duplicate", onDuplicate);
        for (Path file : files) {
            out.write(("--" + BOUNDARY + "\r\nContent-Disposition: form-data; name=\"files\"; filename=\""
                    + file.getFileName() + "\"\r\nContent-Type: application/octet-stream\r\n\r\n").getBytes(StandardCharsets.UTF_8));
            out.write(Files.readAllBytes(file));
            out.write("\r\n".getBytes(StandardCharsets.UTF_8));
        }
        out.write(("--" + BOUNDARY + "--\r\n").getBytes(StandardCharsets.UTF_8));
        return out.toByteArray();
    }

    private static void field(java.io.ByteArrayOutputStream out, String name, String value) throws IOException {
        out.write(("--" + BOUNDARY + "\r\nContent-Disposition: form-data; name=\"" + name + "\"\r\n\r\n" + value + "\r\n")
                .getBytes(StandardCharsets.UTF_8));
    }
}
