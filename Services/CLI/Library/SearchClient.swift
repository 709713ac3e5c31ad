import Foundation
import Shared

/// Asks a recommender for the images that best match a text query.
public struct SearchClient: Sendable {
    /// One ranked image.
    public struct Hit: Decodable, Sendable {
        public var id: String
        public var file: String
        public var caption: String
        public var score: Double
        /// Where the image is served; absent when the model was built without an image base URL (`imgrec eval`).
        public var imageURL: String?

        enum CodingKeys: String, CodingKey {
            case id, file, caption, score
            case imageURL = "image_url"
        }
    }

    private struct Answer: Decodable {
        var method: String?
        var results: [Hit]
    }

    public let recommender: HTTPClient

    /// Creates a client for the recommender at `baseURL`.
    public init(baseURL: String) {
        recommender = HTTPClient(baseURL: baseURL, service: "recommender")
    }

    /// The `k` best matches for `query`, best first, ranked by `method` (the model's default when nil).
    public func search(_ query: String, k: Int, method: String? = nil) throws -> (method: String?, hits: [Hit]) {
        var parameters = ["q": query, "k": String(k)]
        parameters["method"] = method
        let answer = try recommender.getJSON("/v1/search", query: parameters, as: Answer.self)
        return (answer.method, answer.results)
    }

    /// The hits as an aligned table: rank, score, file and caption.
    public static func table(_ hits: [Hit]) -> String {
        guard !hits.isEmpty else {
            return "no matching images"
        }
        let width = min(40, hits.map(\.file.count).max() ?? 0)
        return hits.enumerated().map { rank, hit in
            let score = String(format: "%.4f", hit.score)
            let file = hit.file.padding(toLength: max(width, hit.file.count), withPad: " ", startingAt: 0)
            return "\(String(rank + 1).leftPadded(to: 2))  \(score)  \(file)  \(hit.caption)"
        }.joined(separator: "\n")
    }
}

extension String {
    /// The string right-aligned in a field of `width` characters.
    func leftPadded(to width: Int) -> String {
        String(repeating: " ", count: max(0, width - count)) + self
    }
}
