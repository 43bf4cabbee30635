package io.minutes.core.analysis;

import java.util.LinkedHashSet;
import java.util.Set;

/**
 * The distinct content terms of a text as the built-in analyzer sees them: lower-case words, stopwords and
 * conversational filler removed, possessives and plurals folded. {@code minutes eval} matches items with them.
 */
public final class ContentTerms {

    private ContentTerms() {
    }

    public static Set<String> of(String text) {
        return new LinkedHashSet<>(Tokenizer.terms(text == null ? "" : text));
    }
}
