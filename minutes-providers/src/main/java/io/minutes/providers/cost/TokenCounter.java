package io.minutes.providers.cost;

import com.knuddels.jtokkit.Encodings;
import com.knuddels.jtokkit.api.Encoding;
import com.knuddels.jtokkit.api.EncodingRegistry;
import com.knuddels.jtokkit.api.EncodingType;

import java.util.Locale;

/**
 * Counts tokens before a call is sent. OpenAI models use their own tokenizer through jtokkit:
 * {@code o200k_base} for the gpt-4o, gpt-4.1, gpt-5 and o-series families, {@code cl100k_base} for
 * gpt-4 and gpt-3.5. Every other model (Claude, Llama, Mistral, ...) is approximated as one token
 * per 3.5 characters, rounded up: Anthropic's tokenizer is not public, and English prose runs at
 * about 3.5 to 4 characters a token, so this errs on the high side, which is the safe side for
 * rate-limit admission and budgets.
 */
public interface TokenCounter {

    long count(String text);

    /** A short name for messages: o200k_base, cl100k_base or chars/3.5. */
    String method();

    double CHARS_PER_TOKEN = 3.5;

    TokenCounter APPROXIMATE = new TokenCounter() {
        @Override
        public long count(String text) {
            return (long) Math.ceil(text.length() / CHARS_PER_TOKEN);
        }

        @Override
        public String method() {
            return "chars/3.5";
        }
    };

    static TokenCounter forModel(String model) {
        String m = model == null ? "" : model.toLowerCase(Locale.ROOT);
        int slash = m.lastIndexOf('/');
        if (slash >= 0) m = m.substring(slash + 1);
        if (m.startsWith("gpt-4o") || m.startsWith("gpt-4.1") || m.startsWith("gpt-4.5") || m.startsWith("gpt-5")
                || m.startsWith("chatgpt-4o") || m.matches("o[1-9](-.*)?")) {
            return Jtokkit.of(EncodingType.O200K_BASE);
        }
        if (m.startsWith("gpt-4") || m.startsWith("gpt-3.5")) return Jtokkit.of(EncodingType.CL100K_BASE);
        return APPROXIMATE;
    }

    /** jtokkit's encodings, loaded once and shared (they are thread-safe). */
    final class Jtokkit implements TokenCounter {
        private static final EncodingRegistry REGISTRY = Encodings.newLazyEncodingRegistry();
        private final Encoding encoding;

        private Jtokkit(Encoding encoding) {
            this.encoding = encoding;
        }

        static TokenCounter of(EncodingType type) {
            return new Jtokkit(REGISTRY.getEncoding(type));
        }

        @Override
        public long count(String text) {
            return encoding.countTokensOrdinary(text);
        }

        @Override
        public String method() {
            return encoding.getName();
        }
    }
}
