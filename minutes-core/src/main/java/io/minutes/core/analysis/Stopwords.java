package io.minutes.core.analysis;

import java.util.Set;

/** English function words plus the conversational filler that carries no topic in a meeting. */
final class Stopwords {

    private static final Set<String> WORDS = Set.copyOf(java.util.Arrays.asList((
            "a about above after again against all almost also am an and any are aren't as at be because been before "
            + "being below between both but by can can't cannot could couldn't did didn't do does doesn't doing don't "
            + "down during each either else enough etc even ever every few for from further had hadn't has hasn't have "
            + "haven't having he he'd he'll he's her here here's hers herself him himself his how how's however i i'd "
            + "i'll i'm i've if in into is isn't it it's its itself just let's me more most mustn't my myself no nor "
            + "not of off on once only or other ought our ours ourselves out over own same shan't she she'd she'll she's "
            + "should shouldn't so some such than that that's the their theirs them themselves then there there's these "
            + "they they'd they'll they're they've this those through to too under until up upon very was wasn't we "
            + "we'd we'll we're we've were weren't what what's when when's where where's whether which while who who's "
            + "whom why why's will with won't would wouldn't you you'd you'll you're you've your yours yourself "
            + "yourselves many much may might must shall via per since though although yet another whose onto "
            // conversation: fillers, hedges, backchannels and all-purpose verbs
            + "yeah yes yep yup no nope okay ok oh um uh erm hmm mm mhm ah eh huh right well like just really actually "
            + "basically probably maybe perhaps sure think thought know knew mean means meant guess suppose gonna "
            + "wanna gotta kinda sorta thing things stuff lot lots bit get gets got getting go goes going went gone "
            + "say says said saying tell told see seen look looks looking come comes came make makes made take "
            + "takes took want wants wanted need needs let lets put thank thanks please sorry good great fine "
            + "nice cool alright anyway anyways something anything everything nothing someone anyone everyone "
            + "somebody anybody everybody one ones two way ways kind sort quite pretty still already always never "
            + "now today time times just often sometimes again back first also able us yourself ours whatever "
            + "course indeed certainly definitely absolutely exactly totally fact point talk talking question "
            + "questions answer try trying tried keep use used using work working feel feels felt hear heard "
            + "little big people person guys guy idea part different important interesting whole "
            + "there've it'll that'll who'll what'll where'd gonna 's 't 've 're 'll 'd 'm n't").split(" ")));

    private Stopwords() {
    }

    static boolean contains(String lowerCaseWord) {
        return WORDS.contains(lowerCaseWord);
    }
}
