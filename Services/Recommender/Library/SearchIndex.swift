import Foundation
import Shared

/// A loaded, immutable recommender model: the verified file, its images and its ranking methods.
///
/// Share one instance between request threads; to change models, load a new instance and swap the reference.
public final class SearchIndex: Sendable {
    /// The largest `k` a search accepts.
    public static let maxResults = 100
    /// The longest query accepted, in characters: far beyond any description a person types, and short
    /// enough that no method's work on it is noticeable.
    public static let maxQueryCharacters = 10_000

    /// The verified model file.
    public let file: ModelFile
    /// The images, in model order.
    public let images: ImageTable
    /// The methods this process can serve, by name.
    public let methods: [String: any SearchMethod]
    /// Methods in the file that this process cannot serve, with the reason (for example a missing encoder).
    public let unavailableMethods: [String: String]
    /// When this instance was loaded.
    public let loadedAt: Date

    /// Opens, verifies and loads the model file at `path`.
    public convenience init(path: String, catalog: SearchMethodCatalog = SearchMethodCatalog()) throws {
        try self.init(file: ModelFile(path: path), catalog: catalog)
    }

    /// Loads a verified model file.
    public init(file: ModelFile, catalog: SearchMethodCatalog = SearchMethodCatalog()) throws {
        self.file = file
        images = try ImageTable(file: file)
        (methods, unavailableMethods) = try catalog.load(file, images: images)
        loadedAt = Date()
    }

    /// The method names in file order, servable or not.
    public var methodNames: [String] { file.header.methods.map(\.name) }

    /// The method used when a search names none.
    public var defaultMethod: String { file.header.defaultMethod }

    /// The image base URL recorded at build time (the sampler's URL), if any.
    public var imageBaseURL: String? { file.header.parameters["image_base_url"] }

    /// Ranks the images for `query`: best first, ties by file then id, only positive scores, at most `k`.
    /// Known emoji in the query are read as words first (`EmojiWords`).
    ///
    /// - Parameters:
    ///   - method: a method in the model; nil for the model's default, or the best method this process can
    ///     serve when it cannot serve the default (reported as the `fallback` diagnostic).
    ///   - imageBaseURL: overrides the base URL recorded in the model.
    /// - Throws: `RecommenderError` for an empty query, `k` outside 1...100, or an unknown or unavailable method.
    public func search(
        _ query: String, k: Int, method: String? = nil, imageBaseURL: String? = nil
    ) throws -> SearchResponse {
        // Control characters (a NUL, say) carry no words: a query of nothing else is empty, whichever way
        // it arrived (the URL decoder already drops them from GET queries).
        guard
            !query.unicodeScalars.allSatisfy({ $0.properties.isWhitespace || $0.properties.generalCategory == .control }
            )
        else {
            throw RecommenderError(.badRequest, "empty_query", "the query is empty")
        }
        guard query.unicodeScalars.count <= Self.maxQueryCharacters else {
            throw RecommenderError(
                .badRequest, "query_too_long", "the query has more than \(Self.maxQueryCharacters) characters")
        }
        guard (1...Self.maxResults).contains(k) else {
            throw RecommenderError(.badRequest, "invalid_parameter", "k must be in 1...\(Self.maxResults)")
        }
        let (name, ranking, fallback) = try rankingMethod(named: method)

        let (text, replacements) = EmojiWords.rewrite(query)
        var scored = try ranking.scores(for: text)
        if !replacements.isEmpty { scored.diagnostics["emoji"] = replacements.joined(separator: " ") }
        if let fallback { scored.diagnostics["fallback"] = fallback }
        let base = imageBaseURL ?? self.imageBaseURL
        let results = rank(scored.scores, k: k).map { image in
            SearchResult(
                id: images.ids[image], file: images.files[image], caption: images.captions[image],
                score: scored.scores[image], imageURL: base.map { Self.imageURL(base: $0, id: images.ids[image]) })
        }
        return SearchResponse(query: query, method: name, results: results, diagnostics: scored.diagnostics)
    }

    /// The method that ranks a search: the one named; else the model's default, or, when this process
    /// cannot serve the default, the best one it can (`SearchMethodCatalog.methodsByQuality`) with a note
    /// that says so. A method named explicitly is never replaced.
    /// - Throws: `RecommenderError` 400 `unknown_method`, or 503 `method_unavailable` when nothing can rank.
    func rankingMethod(named method: String?) throws -> (name: String, method: any SearchMethod, fallback: String?) {
        let name = method ?? defaultMethod
        if let ranking = methods[name] { return (name, ranking, nil) }
        guard let reason = unavailableMethods[name] else {
            throw RecommenderError(
                .badRequest, "unknown_method",
                "unknown method \(name); this model has \(methodNames.joined(separator: ", "))")
        }
        let servable = SearchMethodCatalog.methodsByQuality + methodNames
        if method == nil, let substitute = servable.first(where: { methods[$0] != nil }),
            let ranking = methods[substitute]
        {
            return (substitute, ranking, "\(name) unavailable: \(reason); ranked by \(substitute)")
        }
        throw RecommenderError(.unavailable, "method_unavailable", "method \(name) is unavailable: \(reason)")
    }

    /// The best `k` images with a positive score, best first; equal scores ordered by file, then id.
    ///
    /// Keeps a sorted list of the best `k` seen so far, so a pass over many images costs one comparison for
    /// most of them instead of a full sort.
    func rank(_ scores: [Double], k: Int) -> [Int] {
        func precedes(_ left: Int, _ right: Int) -> Bool {
            if scores[left] != scores[right] { return scores[left] > scores[right] }
            let (leftFile, rightFile) = (images.files[left], images.files[right])
            if leftFile != rightFile { return TfidfVectorizer.codePointOrder(leftFile, rightFile) }
            return TfidfVectorizer.codePointOrder(images.ids[left], images.ids[right])
        }
        var best = [Int]()
        best.reserveCapacity(k + 1)
        for image in scores.indices where scores[image] > 0 {
            if best.count == k {
                guard let worst = best.last, scores[image] >= scores[worst], precedes(image, worst) else { continue }
                best.removeLast()
            }
            let position = best.firstIndex { precedes(image, $0) } ?? best.count
            best.insert(image, at: position)
        }
        return best
    }

    /// `<base>/v1/images/<id>`, the sampler's image route, with the id percent-encoded.
    public static func imageURL(base: String, id: String) -> String {
        let trimmed = base.hasSuffix("/") ? String(base.dropLast()) : base
        return "\(trimmed)/v1/images/\(percentEncodedPathSegment(id))"
    }
}

/// `text` percent-encoded for use as one URL path segment (a `/` inside is encoded too).
func percentEncodedPathSegment(_ text: String) -> String {
    var allowed = CharacterSet.urlPathAllowed
    allowed.remove("/")
    return text.addingPercentEncoding(withAllowedCharacters: allowed) ?? text
}
