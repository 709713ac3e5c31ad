/// Maps a word missing from a vocabulary to the vocabulary term that shares the most character trigrams
/// with it ("montain" → "mountain"), when they share enough.
///
/// Similarity is the Jaccard index of the two words' trigram sets, the words padded with a space at each end.
/// Immutable after creation; safe to share between threads.
public struct SpellingCorrector: Sendable {
    /// The least similarity at which a correction is made.
    public let threshold: Double
    /// Words shorter than this are never corrected: too few trigrams to judge.
    public let minimumLength: Int
    private let terms: [String]
    private let trigramCounts: [Int]
    private let postings: [String: [Int32]]

    /// Indexes `vocabulary` by trigram.
    public init(vocabulary: some Sequence<String>, threshold: Double = 0.4, minimumLength: Int = 4) {
        var terms = [String]()
        var counts = [Int]()
        var postings = [String: [Int32]]()
        for term in vocabulary {
            let trigrams = Self.trigrams(term)
            for trigram in trigrams { postings[trigram, default: []].append(Int32(terms.count)) }
            terms.append(term)
            counts.append(trigrams.count)
        }
        self.terms = terms
        trigramCounts = counts
        self.postings = postings
        self.threshold = threshold
        self.minimumLength = minimumLength
    }

    /// The closest vocabulary term to `word` with its similarity, or nil when none reaches the threshold.
    /// Equal similarities go to the term that comes first in code-point order.
    public func correction(for word: String) -> (term: String, similarity: Double)? {
        guard word.count >= minimumLength else { return nil }
        let trigrams = Self.trigrams(word)
        var shared = [Int32: Int]()
        for trigram in trigrams {
            for term in postings[trigram] ?? [] { shared[term, default: 0] += 1 }
        }
        var best: (term: String, similarity: Double)?
        for (index, count) in shared {
            let similarity = Double(count) / Double(trigrams.count + trigramCounts[Int(index)] - count)
            let term = terms[Int(index)]
            guard similarity >= threshold else { continue }
            if let current = best,
                current.similarity > similarity
                    || (current.similarity == similarity && !TfidfVectorizer.codePointOrder(term, current.term))
            {
                continue
            }
            best = (term, similarity)
        }
        return best
    }

    /// The distinct trigrams of ` word `.
    static func trigrams(_ word: String) -> Set<String> {
        let characters = [" "] + Array(word) + [" "]
        var trigrams = Set<String>()
        for start in 0..<(characters.count - 2) { trigrams.insert(String(characters[start..<(start + 3)])) }
        return trigrams
    }
}
