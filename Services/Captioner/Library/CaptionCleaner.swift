/// Tidies generated or embedded caption text: normalises quotes and whitespace, strips quotes around the
/// whole caption and collapses repeated phrases, the typical failure of small captioning models.
///
/// Repeats are found on word tokens, compared without case and trailing punctuation: a phrase of up to
/// `maxPhraseLength` words followed directly by itself ("colored colored"), or followed by itself after a
/// connector word ("a mountain range with a mountain range"), keeps only its first occurrence. Only
/// phrases that contain a content word are collapsed through a connector, so "over and over" stays.
public struct CaptionCleaner: Sendable {
    /// Words that join a phrase to a repeat of itself: "with", "of", "and", ...
    public let connectors: Set<String>
    /// The longest phrase, in words, that is looked for as a repeat.
    public let maxPhraseLength: Int

    /// Words that carry no content of their own; a phrase made only of these is never collapsed
    /// through a connector.
    private static let functionWords: Set<String> = [
        "a", "an", "the", "of", "with", "and", "or", "in", "on", "at", "to", "by", "for", "from",
        "over", "under", "near", "behind", "beside", "is", "are", "it", "its", "this", "that",
    ]

    /// The default connector words.
    public static let defaultConnectors: Set<String> = [
        "with", "of", "and", "in", "on", "at", "near", "under", "over", "by", "beside", "behind", "from",
        "or", "to",
    ]

    /// Creates a cleaner that joins repeats through `connectors` and looks for phrases of up to
    /// `maxPhraseLength` words.
    public init(connectors: Set<String> = CaptionCleaner.defaultConnectors, maxPhraseLength: Int = 8) {
        precondition(maxPhraseLength >= 1, "maxPhraseLength must be at least 1")
        self.connectors = connectors
        self.maxPhraseLength = maxPhraseLength
    }

    /// The cleaned form of `text`; empty when nothing but whitespace and quotes remains.
    public func clean(_ text: String) -> String {
        let normalised = Self.stripSurroundingQuotes(Self.normaliseQuotes(text))
        var tokens = normalised.split(whereSeparator: \.isWhitespace).map(String.init)
        collapseRepeats(&tokens)
        return tokens.joined(separator: " ")
    }

    /// Straight ASCII quotes in place of typographic ones.
    static func normaliseQuotes(_ text: String) -> String {
        String(
            text.map { character -> Character in
                switch character {
                case "\u{2018}", "\u{2019}", "\u{201A}", "\u{201B}", "\u{2032}", "`", "\u{00B4}": "'"
                case "\u{201C}", "\u{201D}", "\u{201E}", "\u{201F}", "\u{2033}", "\u{00AB}", "\u{00BB}": "\""
                default: character
                }
            })
    }

    /// `text` trimmed, without pairs of matching quotes around the whole of it.
    static func stripSurroundingQuotes(_ text: String) -> String {
        var result = Substring(text).trimmingWhitespace()
        // Only a quote that appears nowhere inside wraps the whole caption: "open" and "closed" keeps its quotes.
        while result.count >= 2, let first = result.first, first == "\"" || first == "'", result.last == first,
            !result.dropFirst().dropLast().contains(first)
        {
            result = result.dropFirst().dropLast().trimmingWhitespace()
        }
        if result == "\"" || result == "'" {
            return ""
        }
        return String(result)
    }

    /// Removes repeated phrases from `tokens` until none is left.
    func collapseRepeats(_ tokens: inout [String]) {
        var keys = tokens.map(Self.comparisonKey)
        var changed = true
        while changed {
            changed = false
            var start = 0
            while start < tokens.count {
                if let removal = repeatAfter(start, keys: keys) {
                    let endsCaption = removal.upperBound == tokens.count
                    let closing = Self.trailingPunctuation(tokens[removal.upperBound - 1])
                    tokens.removeSubrange(removal)
                    if endsCaption, let last = tokens.indices.last {
                        // The caption keeps the punctuation that ended it: "a car, a car." becomes "a car."
                        tokens[last] =
                            String(tokens[last].dropLast(Self.trailingPunctuation(tokens[last]).count))
                            + closing
                    }
                    keys.removeSubrange(removal)
                    changed = true
                } else {
                    start += 1
                }
            }
        }
    }

    /// The token range to remove when the phrase starting at `start` repeats straight away or after a
    /// connector; longer phrases are tried first.
    private func repeatAfter(_ start: Int, keys: [String]) -> Range<Int>? {
        let longest = min(maxPhraseLength, (keys.count - start) / 2)
        guard longest >= 1 else {
            return nil
        }
        for length in stride(from: longest, through: 1, by: -1) {
            let phrase = keys[start..<(start + length)]
            let next = start + length
            if keys[next..<(next + length)].elementsEqual(phrase) {
                return next..<(next + length)
            }
            let afterConnector = next + 1
            if afterConnector + length <= keys.count, connectors.contains(keys[next]),
                phrase.contains(where: { !Self.functionWords.contains($0) }),
                keys[afterConnector..<(afterConnector + length)].elementsEqual(phrase)
            {
                return next..<(afterConnector + length)
            }
        }
        return nil
    }

    /// The punctuation characters at the end of `token`.
    private static func trailingPunctuation(_ token: String) -> String {
        String(token.reversed().prefix(while: \.isPunctuation).reversed())
    }

    /// A token lower-cased, without punctuation at its end, for comparison.
    private static func comparisonKey(_ token: String) -> String {
        var key = Substring(token.lowercased())
        while let last = key.last, last.isPunctuation {
            key = key.dropLast()
        }
        return String(key)
    }
}

extension Substring {
    /// The substring without leading and trailing whitespace.
    fileprivate func trimmingWhitespace() -> Substring {
        guard let first = firstIndex(where: { !$0.isWhitespace }),
            let last = lastIndex(where: { !$0.isWhitespace })
        else {
            return ""
        }
        return self[first...last]
    }
}
