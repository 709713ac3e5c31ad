import Foundation

/// BERT's uncased tokenizer as all-MiniLM-L6-v2 uses it: the special tokens are split off the raw text first,
/// the rest is cleaned, CJK ideographs are spaced out, accents are stripped (NFD, combining marks removed), text
/// is lower-cased and split at whitespace and punctuation, and every word becomes WordPiece sub-words
/// (`##` continuations, `[UNK]` for a word that cannot be spelt or is longer than 100 characters).
/// `tokenize(_:)` adds `[CLS]` and `[SEP]` and truncates to `maximumLength`.
public struct BertTokenizer: Sendable {
    /// The ids of the tokens this tokenizer adds or falls back to.
    public struct SpecialTokens: Sendable, Equatable {
        /// `[PAD]`.
        public let padding: Int32
        /// `[UNK]`.
        public let unknown: Int32
        /// `[CLS]`, first in every sequence.
        public let classifier: Int32
        /// `[SEP]`, last in every sequence.
        public let separator: Int32
    }

    /// Words longer than this many characters become `[UNK]` without trying WordPiece.
    public static let maximumCharactersPerWord = 100

    /// The most tokens `tokenize(_:)` returns, `[CLS]` and `[SEP]` included.
    public let maximumLength: Int
    /// The ids of the special tokens.
    public let special: SpecialTokens
    /// The number of entries in the vocabulary.
    public var vocabularySize: Int { tokens.count }

    /// Vocabulary keyed by UTF-8 bytes: `String` equality would treat canonically equivalent spellings (a
    /// precomposed letter and its decomposition) as one entry, which the reference tokenizer does not.
    private let ids: [[UInt8]: Int32]
    private let tokens: [String]
    /// The special-token strings recognised in raw text, with their ids.
    private let specialStrings: [(bytes: [UInt8], id: Int32)]

    /// Reads a `vocab.txt` (one token per line, the line number is the id).
    public init(vocabularyURL: URL, maximumLength: Int = 256) throws {
        let text: String
        do {
            text = try String(contentsOf: vocabularyURL, encoding: .utf8)
        } catch {
            throw TextEmbeddingError(.io, "cannot read \(vocabularyURL.path): \(error.localizedDescription)")
        }
        var lines = text.split(separator: "\n", omittingEmptySubsequences: false).map {
            $0.hasSuffix("\r") ? String($0.dropLast()) : String($0)
        }
        if lines.last == "" { lines.removeLast() }
        try self.init(vocabulary: lines, maximumLength: maximumLength, source: vocabularyURL.path)
    }

    /// Builds a tokenizer over a vocabulary given in id order.
    public init(vocabulary: [String], maximumLength: Int = 256, source: String = "vocabulary") throws {
        precondition(maximumLength >= 2, "room is needed for [CLS] and [SEP]")
        var ids: [[UInt8]: Int32] = [:]
        ids.reserveCapacity(vocabulary.count)
        for (index, token) in vocabulary.enumerated() where ids[Array(token.utf8)] == nil {
            ids[Array(token.utf8)] = Int32(index)
        }
        func id(_ token: String) throws -> Int32 {
            guard let id = ids[Array(token.utf8)] else {
                throw TextEmbeddingError(.invalidModel, "\(source): no \(token) token")
            }
            return id
        }
        special = SpecialTokens(
            padding: try id("[PAD]"), unknown: try id("[UNK]"),
            classifier: try id("[CLS]"), separator: try id("[SEP]"))
        specialStrings = try ["[PAD]", "[UNK]", "[CLS]", "[SEP]", "[MASK]"].map { (Array($0.utf8), try id($0)) }
        self.ids = ids
        self.tokens = vocabulary
        self.maximumLength = maximumLength
    }

    /// The model input for `text`: `[CLS]`, the word pieces cut to `maximumLength - 2`, `[SEP]`.
    public func tokenize(_ text: String) -> [Int32] {
        let pieces = wordPieces(text)
        return [special.classifier] + pieces.prefix(maximumLength - 2) + [special.separator]
    }

    /// The word-piece ids of `text` with no special tokens added and no truncation.
    public func wordPieces(_ text: String) -> [Int32] {
        var result: [Int32] = []
        for segment in splitSpecialTokens(Array(text.utf8)) {
            switch segment {
            case .special(let id):
                result.append(id)
            case .text(let bytes):
                for word in BertNormalizer.words(in: String(decoding: bytes, as: UTF8.self)) {
                    appendWordPieces(of: word, to: &result)
                }
            }
        }
        return result
    }

    /// The token string for an id, or `nil` outside the vocabulary.
    public func token(for id: Int32) -> String? {
        tokens.indices.contains(Int(id)) ? tokens[Int(id)] : nil
    }

    /// The id of a token string, or `nil` if it is not in the vocabulary.
    public func id(for token: String) -> Int32? {
        ids[Array(token.utf8)]
    }

    private enum Segment {
        case text(ArraySlice<UInt8>)
        case special(Int32)
    }

    /// Splits raw UTF-8 at the special-token strings, which the reference tokenizer matches before normalising.
    private func splitSpecialTokens(_ bytes: [UInt8]) -> [Segment] {
        var segments: [Segment] = []
        var start = 0
        var index = 0
        while index < bytes.count {
            guard bytes[index] == UInt8(ascii: "["),
                let match = specialStrings.first(where: { bytes[index...].starts(with: $0.bytes) })
            else {
                index += 1
                continue
            }
            if start < index { segments.append(.text(bytes[start..<index])) }
            segments.append(.special(match.id))
            index += match.bytes.count
            start = index
        }
        if start < bytes.count { segments.append(.text(bytes[start...])) }
        return segments
    }

    /// Greedy longest-match-first WordPiece; the whole word becomes `[UNK]` if any part has no match.
    private func appendWordPieces(of word: [Unicode.Scalar], to result: inout [Int32]) {
        guard word.count <= Self.maximumCharactersPerWord else {
            result.append(special.unknown)
            return
        }
        var boundaries = [0]
        var bytes: [UInt8] = []
        for scalar in word {
            UTF8.encode(scalar) { bytes.append($0) }
            boundaries.append(bytes.count)
        }

        let firstPiece = result.count
        var start = 0
        var key: [UInt8] = []
        while start < word.count {
            var end = word.count
            var found: Int32?
            while end > start {
                key.removeAll(keepingCapacity: true)
                if start > 0 { key.append(contentsOf: [UInt8(ascii: "#"), UInt8(ascii: "#")]) }
                key.append(contentsOf: bytes[boundaries[start]..<boundaries[end]])
                if let id = ids[key] {
                    found = id
                    break
                }
                end -= 1
            }
            guard let found else {
                result.removeSubrange(firstPiece...)
                result.append(special.unknown)
                return
            }
            result.append(found)
            start = end
        }
    }
}
