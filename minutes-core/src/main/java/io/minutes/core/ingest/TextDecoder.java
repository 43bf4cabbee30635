package io.minutes.core.ingest;

import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.Charset;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.util.List;

/** Bytes to text: BOMs, UTF-16 without a BOM, UTF-8, and windows-1252 as the last resort. */
final class TextDecoder {

    private static final Charset WINDOWS_1252 = Charset.forName("windows-1252");

    record Decoded(String text, String encoding, List<String> warnings) {
    }

    private TextDecoder() {
    }

    static Decoded decode(byte[] bytes) {
        if (startsWith(bytes, 0xEF, 0xBB, 0xBF)) return lenient(bytes, 3, StandardCharsets.UTF_8, "UTF-8");
        if (startsWith(bytes, 0xFF, 0xFE)) return lenient(bytes, 2, StandardCharsets.UTF_16LE, "UTF-16LE");
        if (startsWith(bytes, 0xFE, 0xFF)) return lenient(bytes, 2, StandardCharsets.UTF_16BE, "UTF-16BE");
        Charset utf16 = guessUtf16WithoutBom(bytes);
        if (utf16 != null) return lenient(bytes, 0, utf16, utf16.name());
        try {
            String text = StandardCharsets.UTF_8.newDecoder()
                    .onMalformedInput(CodingErrorAction.REPORT)
                    .onUnmappableCharacter(CodingErrorAction.REPORT)
                    .decode(ByteBuffer.wrap(bytes))
                    .toString();
            return new Decoded(text, "UTF-8", List.of());
        } catch (CharacterCodingException e) {
            return new Decoded(new String(bytes, WINDOWS_1252), "windows-1252",
                    List.of("the file is not valid UTF-8; it was read as windows-1252, so check accented letters"));
        }
    }

    private static Decoded lenient(byte[] bytes, int skip, Charset charset, String name) {
        return new Decoded(new String(bytes, skip, bytes.length - skip, charset), name, List.of());
    }

    /** ASCII-heavy UTF-16 text has a NUL in every other byte: odd positions for LE, even for BE. */
    private static Charset guessUtf16WithoutBom(byte[] bytes) {
        int sample = Math.min(bytes.length, 4096) & ~1;
        if (sample < 4) return null;
        int evenNuls = 0;
        int oddNuls = 0;
        for (int i = 0; i < sample; i += 2) {
            if (bytes[i] == 0) evenNuls++;
            if (bytes[i + 1] == 0) oddNuls++;
        }
        int pairs = sample / 2;
        if (oddNuls > pairs * 0.4 && evenNuls < pairs * 0.05) return StandardCharsets.UTF_16LE;
        if (evenNuls > pairs * 0.4 && oddNuls < pairs * 0.05) return StandardCharsets.UTF_16BE;
        return null;
    }

    private static boolean startsWith(byte[] bytes, int... prefix) {
        if (bytes.length < prefix.length) return false;
        for (int i = 0; i < prefix.length; i++) {
            if ((bytes[i] & 0xFF) != prefix[i]) return false;
        }
        return true;
    }

    /** True when the text is mostly not text: control characters, replacement characters, unassigned code points. */
    static boolean looksBinary(String text) {
        if (text.indexOf('\0') >= 0) return true;
        int sample = Math.min(text.length(), 8192);
        if (sample == 0) return false;
        int odd = 0;
        for (int i = 0; i < sample; i++) {
            char c = text.charAt(i);
            boolean control = Character.isISOControl(c) && c != '\n' && c != '\r' && c != '\t' && c != '\f';
            if (control || c == '\uFFFD' || Character.getType(c) == Character.UNASSIGNED
                    || Character.getType(c) == Character.PRIVATE_USE) {
                odd++;
            }
        }
        return odd > sample * 0.02;
    }
}
