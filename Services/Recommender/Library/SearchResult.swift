/// One ranked image.
public struct SearchResult: Codable, Sendable, Equatable {
    /// The sampler's image id.
    public var id: String
    /// The image's path relative to the dataset root.
    public var file: String
    /// The caption the ranking matched against.
    public var caption: String
    /// The method's score; higher is better.
    public var score: Double
    /// Where the image can be fetched, when a base URL is known.
    public var imageURL: String?

    enum CodingKeys: String, CodingKey {
        case id, file, caption, score
        case imageURL = "image_url"
    }
}

/// The answer to one search.
public struct SearchResponse: Codable, Sendable, Equatable {
    /// The query as received.
    public var query: String
    /// The method that ranked.
    public var method: String
    /// The results, best first.
    public var results: [SearchResult]
    /// Notes from the method, such as query words it did not know.
    public var diagnostics: [String: String]
}
