import Foundation
import Shared

extension CaptionerService {
    /// The body of `POST /v1/jobs`: caption every image of a sampler's sample.
    public struct JobRequest: Codable, Sendable {
        /// The sampler's base URL.
        public var sampler: String
        /// The sample's id at that sampler.
        public var sampleID: String

        /// Creates a request.
        public init(sampler: String, sampleID: String) {
            self.sampler = sampler
            self.sampleID = sampleID
        }

        enum CodingKeys: String, CodingKey {
            case sampler
            case sampleID = "sample_id"
        }
    }

    /// The answer of `GET /v1/jobs/{id}/captions`: the captions made so far and the images that failed.
    struct JobCaptions: Encodable {
        var captions: [JobCaption]
        var failures: [JobFailure]
    }

    /// The routes: `POST /v1/captions`, `POST /v1/jobs`, `GET /v1/jobs/{id}`, `GET /v1/jobs/{id}/captions`.
    public func makeRouter() -> Router {
        let router = Router()
        router.post("/v1/captions") { [self] request in
            let (record, _) = try captioner.caption(CaptionInput(image: request.body))
            return .json(record)
        }
        router.post("/v1/jobs") { [self] request in
            let body = try request.decodeJSON(JobRequest.self)
            return .json(try submitJob(sampler: body.sampler, sampleID: body.sampleID), status: 202)
        }
        router.get("/v1/jobs/{id}") { [self] request in
            .json(try existingJob(request))
        }
        router.get("/v1/jobs/{id}/captions") { [self] request in
            let job = try existingJob(request)
            return .json(
                JobCaptions(captions: try store.captions(ofJob: job.id), failures: try store.failures(ofJob: job.id)))
        }
        return router
    }

    private func existingJob(_ request: HTTPRequest) throws -> CaptionJob {
        let id = request.pathParameters["id"] ?? ""
        guard let job = try store.job(id) else {
            throw ServiceError.notFound("job_not_found", "no job with id '\(id)'")
        }
        return job
    }
}
