package io.minutes.providers.llm;

import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;

/**
 * Context windows (input + output tokens) of common models, by the longest name prefix, from the
 * providers' model pages. A model not listed (a local Llama, an Azure deployment name) is assumed
 * to have {@value #UNKNOWN_CONTEXT} tokens: small enough that Ollama's and vLLM's usual settings hold
 * it, so a long meeting is cut into parts rather than silently truncated. {@code --context-tokens}
 * overrides both.
 */
public final class ModelLimits {
    public static final long UNKNOWN_CONTEXT = 32_768;
    private static final Map<String, Long> CONTEXT = new LinkedHashMap<>();

    static {
        CONTEXT.put("gpt-5", 400_000L);
        CONTEXT.put("gpt-4.1", 1_047_576L);
        CONTEXT.put("gpt-4o", 128_000L);
        CONTEXT.put("gpt-4-turbo", 128_000L);
        CONTEXT.put("gpt-4", 8_192L);
        CONTEXT.put("gpt-3.5-turbo", 16_385L);
        CONTEXT.put("o1", 200_000L);
        CONTEXT.put("o3", 200_000L);
        CONTEXT.put("o4-mini", 200_000L);
        CONTEXT.put("claude", 200_000L);
    }

    private ModelLimits() {
    }

    public static long contextTokens(String model) {
        String m = model.toLowerCase(Locale.ROOT);
        int slash = m.lastIndexOf('/');
        if (slash >= 0) m = m.substring(slash + 1);
        String best = null;
        for (String key : CONTEXT.keySet()) {
            if (m.startsWith(key) && (best == null || key.length() > best.length())) best = key;
        }
        return best == null ? UNKNOWN_CONTEXT : CONTEXT.get(best);
    }
}
