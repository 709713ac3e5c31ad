import Foundation
import Shared

extension RecommenderService {
    /// `POST /v1/models {"captioner", "job_id", "sampler", "methods"?}`: fetches the finished job's captions
    /// from the captioner, builds the methods, writes the model file atomically and serves it. The URLs and
    /// the methods are checked before the captioner is called.
    func buildRoute(_ request: HTTPRequest) throws -> HTTPResponse {
        let build = try request.decodeJSON(BuildRequest.self)
        try Self.requireHTTPURL(build.captioner, field: "captioner")
        if let sampler = build.sampler { try Self.requireHTTPURL(sampler, field: "sampler") }
        let methods = build.methods ?? defaultBuildMethods
        do {
            try catalog.checkBuildable(methods)
        } catch let error as RecommenderError {
            throw ServiceError(error)
        }

        let captioner = HTTPClient(
            baseURL: build.captioner, service: "captioner", timeoutSeconds: configuration.upstreamTimeoutSeconds)
        let jobPath = "/v1/jobs/\(percentEncodedPathSegment(build.jobID.value))"

        let job = try captioner.getJSON(jobPath, as: JobDocument.self)
        guard job.status == "done" else {
            throw ServiceError.conflict("job_not_done", "caption job \(build.jobID.value) is \(job.status), not done")
        }
        let captions = try captioner.getJSON(jobPath + "/captions", as: CaptionsDocument.self).captions
        let images = captions.map { ImageCaption(id: $0.imageID, file: $0.file, caption: $0.caption) }

        let parameters = ["captioner": build.captioner, "job_id": build.jobID.value]
        let index: SearchIndex
        var lastReport = Date()
        do {
            let writer = try ModelBuilder(catalog: catalog).build(
                images: images, methods: methods, imageBaseURL: build.sampler, parameters: parameters
            ) { method, done, total in
                guard done < total, Date().timeIntervalSince(lastReport) >= Self.progressLogInterval else { return }
                lastReport = Date()
                logger.info(
                    "model build progress",
                    ["job_id": build.jobID.value, "method": method, "captions_done": "\(done)", "captions": "\(total)"])
            }
            index = try store.install(writer)
        } catch let error as RecommenderError {
            throw ServiceError(error)
        } catch let error as ModelFileError {
            logger.error("model build failed", ["error": "\(error)"])
            throw ServiceError.internalError("the model file could not be written or read back")
        }
        logger.info("model built", ["job_id": build.jobID.value, "images": "\(images.count)"])
        return .json(ModelResponse(model: ModelSummary(index, path: configuration.modelPath)), status: 201)
    }

    /// Seconds between two progress lines of one model build in the log.
    static let progressLogInterval: TimeInterval = 10

    /// Refuses anything but an absolute http(s) URL with a host: the recommender calls the captioner's URL
    /// itself and hands the sampler's to browsers, so `file:`, `gopher:` and the like must never get through.
    /// - Throws: `ServiceError` 400 `invalid_parameter` naming `field`.
    static func requireHTTPURL(_ text: String, field: String) throws {
        guard let url = URL(string: text), let scheme = url.scheme?.lowercased(), scheme == "http" || scheme == "https",
            let host = url.host, !host.isEmpty
        else {
            throw ServiceError.badRequest(
                "invalid_parameter",
                "\"\(field)\" must be an absolute http(s) URL with a host, such as http://host:port")
        }
    }

    /// Every method this process can build, `hybrid` first (so it becomes the default) when available.
    var defaultBuildMethods: [String] {
        let available = catalog.buildableMethods
        return available.contains("hybrid") ? ["hybrid"] + available.filter { $0 != "hybrid" } : available
    }
}

/// The body of `POST /v1/models`.
struct BuildRequest: Decodable {
    var captioner: String
    var jobID: FlexibleID
    var sampler: String?
    var methods: [String]?

    enum CodingKeys: String, CodingKey {
        case captioner, sampler, methods
        case jobID = "job_id"
    }
}

/// An id that a service may send as a JSON string or a number.
struct FlexibleID: Decodable {
    var value: String

    init(from decoder: any Decoder) throws {
        let container = try decoder.singleValueContainer()
        if let number = try? container.decode(Int.self) {
            value = String(number)
        } else {
            value = try container.decode(String.self)
        }
    }
}

/// The part of the captioner's job document a build reads.
struct JobDocument: Decodable {
    var status: String
}

/// The captioner's `GET /v1/jobs/{id}/captions` answer.
struct CaptionsDocument: Decodable {
    struct Entry: Decodable {
        var imageID: String
        var file: String
        var caption: String

        enum CodingKeys: String, CodingKey {
            case file, caption
            case imageID = "image_id"
        }
    }

    var captions: [Entry]
}
