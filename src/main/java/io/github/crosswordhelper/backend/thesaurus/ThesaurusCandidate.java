package io.github.crosswordhelper.backend.thesaurus;

/**
 * One suggestion from {@link WordNetThesaurus}.
 *
 * @param answer the matching key: letters A-Z only, accents folded, e.g. {@code MATTDAMON}
 * @param display the WordNet lemma as written, underscores as spaces, e.g. {@code Matt Damon}
 * @param score 0..1, higher is better; comparable within one call only
 * @param source why it was suggested, e.g. {@code synonym of pink}, {@code hyponym of body of water},
 *     {@code pattern search}
 */
public record ThesaurusCandidate(String answer, String display, double score, String source) {}
