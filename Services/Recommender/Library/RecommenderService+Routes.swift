import Foundation
import Shared

extension RecommenderService {
    /// `GET /v1/search?q=&k=&method=`.
    func searchRoute(_ request: HTTPRequest) throws -> HTTPResponse {
        let k = try request.queryInt("k", default: 10, range: 1...SearchIndex.maxResults)
        let method = request.query["method"].flatMap { $0.isEmpty ? nil : $0 }
        return .json(try search(request.query["q"] ?? "", k: k, method: method))
    }

    /// `POST /v1/search {"q", "k"?, "method"?}`: the same search for queries too long for a URL.
    func searchBodyRoute(_ request: HTTPRequest) throws -> HTTPResponse {
        let body = try request.decodeJSON(SearchRequestBody.self)
        let k = body.k ?? 10
        guard (1...SearchIndex.maxResults).contains(k) else {
            throw ServiceError.badRequest("invalid_parameter", "k must be in 1...\(SearchIndex.maxResults)")
        }
        return .json(try search(body.q, k: k, method: body.method.flatMap { $0.isEmpty ? nil : $0 }))
    }

    /// `GET /api/mmsys/query?desc=&k=`: the original Flask API's answer, `[{"img_url", "score"}]`, each score
    /// beside its own image; `k` defaults to 5.
    func legacyQueryRoute(_ request: HTTPRequest) throws -> HTTPResponse {
        let k = try request.queryInt("k", default: 5, range: 1...SearchIndex.maxResults)
        let response = try search(request.query["desc"] ?? "", k: k, method: nil)
        return .json(response.results.map { LegacyResult(imageURL: $0.imageURL ?? $0.file, score: $0.score) })
    }

    /// `POST /v1/admin/reload`: loads the model file now; a file that fails verification leaves the old
    /// model (if any) in service and answers 422.
    func reloadRoute() throws -> HTTPResponse {
        let outcome: ModelStore.Outcome
        do {
            outcome = try store.reload(force: true)
        } catch let error as ModelFileError {
            let consequence = store.index == nil ? "no model is served" : "the previous model is still served"
            throw ServiceError.unprocessable(
                "model_invalid", "the model file failed verification (\(error.code.rawValue)); \(consequence)")
        } catch let error as RecommenderError {
            throw ServiceError(error)
        }
        guard outcome != .missing else {
            throw ServiceError.notFound("model_missing", "there is no model file at the configured path")
        }
        return .json(ModelResponse(model: ModelSummary(try currentIndex(), path: configuration.modelPath)))
    }
}

/// The body of `POST /v1/search`.
struct SearchRequestBody: Decodable {
    var q: String
    var k: Int?
    var method: String?
}

/// One result in the original Flask API's shape.
struct LegacyResult: Encodable {
    var imageURL: String
    var score: Double

    enum CodingKeys: String, CodingKey {
        case imageURL = "img_url"
        case score
    }
}

/// `{"model": {...}}`.
struct ModelResponse: Encodable {
    var model: ModelSummary
}

/// What a model holds, as builds, reloads and `/v1/models/current` report it.
struct ModelSummary: Encodable {
    var path: String
    var methods: [String]
    var defaultMethod: String
    var unavailableMethods: [String: String]
    var images: Int
    var builtAt: String
    var loadedAt: String
    var sha256: String
    var imageBaseURL: String?

    enum CodingKeys: String, CodingKey {
        case path, methods, images, sha256
        case defaultMethod = "default_method"
        case unavailableMethods = "unavailable_methods"
        case builtAt = "built_at"
        case loadedAt = "loaded_at"
        case imageBaseURL = "image_base_url"
    }

    init(_ index: SearchIndex, path: String) {
        self.path = path
        methods = index.methodNames
        defaultMethod = index.defaultMethod
        unavailableMethods = index.unavailableMethods
        images = index.images.count
        builtAt = index.file.header.createdAt
        loadedAt = index.loadedAt.formatted(.iso8601)
        sha256 = index.file.headerSHA256
        imageBaseURL = index.imageBaseURL
    }
}
