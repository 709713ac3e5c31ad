import Foundation
import Shared

extension CaptionerService {
    /// The part of a sampler sample document the captioner reads.
    struct SampleDocument: Decodable {
        struct Image: Decodable {
            var id: String
            var file: String
            var sha256: String
        }

        var images: [Image]
    }

    /// A sampler sidecar document.
    struct SidecarDocument: Decodable {
        var text: String
    }

    /// Thrown when the sampler fails in a way that stops the whole job.
    private struct SamplerFailure: Error {
        var error: ServiceError
    }

    /// Runs one job to its end, or until `shouldStop()`: reads the sample once, then captions each pending
    /// image. Images already captioned (by this or any earlier job) come from the cache.
    func runJob(_ id: String, shouldStop: @Sendable () -> Bool) {
        do {
            guard let job = try store.job(id), job.status == .queued || job.status == .running else {
                return
            }
            try store.setStatus(.running, ofJob: id)
            logger.info("job started", ["job": id, "sample_id": job.sampleID, "sampler": job.sampler])
            recorder.jobEvent("started")

            let sampler = HTTPClient(
                baseURL: job.sampler, service: "sampler", timeoutSeconds: Double(configuration.upstreamTimeoutSeconds))
            if try !store.hasImages(job: id) {
                let path = "/v1/samples/\(Self.pathSegment(job.sampleID))"
                let sample = try sampler.getJSON(path, as: SampleDocument.self)
                try store.setImages(
                    sample.images.map { CaptionJobImage(imageID: $0.id, file: $0.file, sha256: $0.sha256) }, ofJob: id)
            }

            for image in try store.pendingImages(ofJob: id) {
                if shouldStop() {
                    logger.info("job paused by shutdown", ["job": id])
                    return
                }
                try captionJobImage(image, jobID: id, sampler: sampler)
            }

            try store.setStatus(.done, ofJob: id)
            let finished = try store.job(id)
            recorder.jobEvent("done")
            logger.info(
                "job finished",
                [
                    "job": id, "total": String(finished?.total ?? 0), "done": String(finished?.done ?? 0),
                    "failed": String(finished?.failed ?? 0),
                ])
        } catch {
            let reason =
                (error as? SamplerFailure)?.error.description ?? (error as? ServiceError)?.description
                ?? "internal error: \(error)"
            try? store.setStatus(.failed, ofJob: id, error: reason)
            recorder.jobEvent("failed")
            logger.error("job failed", ["job": id, "error": reason])
        }
    }

    /// Fetches and captions one image. An image the captioner refuses fails on its own; a sampler that
    /// cannot deliver (5xx, unreachable) stops the job.
    private func captionJobImage(_ image: CaptionJobImage, jobID: String, sampler: HTTPClient) throws {
        let bytes: [UInt8]
        let sidecar: String?
        do {
            bytes = try sampler.getBytes("/v1/images/\(Self.pathSegment(image.imageID))").body
            sidecar = try fetchSidecar(imageID: image.imageID, sampler: sampler)
        } catch let error as ServiceError where error.status >= 500 {
            throw SamplerFailure(error: error)
        } catch let error as ServiceError {
            try finish(image, jobID: jobID, status: .failed, sha256: nil, contentKey: nil, error: error.description)
            return
        }
        // The sample names the bytes its scan judged; a file replaced since (and scanned again, so the
        // sampler serves it) may be another picture entirely, even an AI-generated one.
        let sha256 = SHA256.hex(bytes)
        guard sha256 == image.sha256 else {
            let reason =
                "409 image_changed: the sampler served other bytes (sha256 \(sha256.prefix(12))…) than the sample "
                + "recorded (\(image.sha256.prefix(12))…); scan the dataset and draw a new sample"
            // The sample's hash stays recorded; the reason names both.
            try finish(image, jobID: jobID, status: .failed, sha256: nil, contentKey: nil, error: reason)
            return
        }

        do {
            let (record, key) = try captioner.caption(CaptionInput(image: bytes, sidecarText: sidecar))
            try finish(image, jobID: jobID, status: .done, sha256: record.sha256, contentKey: key, error: nil)
        } catch {
            // One image the engine cannot caption (bad file, no description, engine fault) fails alone.
            let reason = (error as? ServiceError)?.description ?? "internal: the engine failed on this image"
            try finish(image, jobID: jobID, status: .failed, sha256: sha256, contentKey: nil, error: reason)
        }
    }

    private func finish(
        _ image: CaptionJobImage, jobID: String, status: CaptionJobImage.Status, sha256: String?, contentKey: String?,
        error: String?
    ) throws {
        if let error {
            logger.warning(
                "job image failed", ["job": jobID, "image": image.imageID, "file": image.file, "error": error])
        }
        try store.finishImage(
            image.imageID, ofJob: jobID, status: status, sha256: sha256, contentKey: contentKey, error: error)
        recorder.jobImage(status)
        if let job = try store.job(jobID) {
            recorder.jobProgress(job)
        }
    }

    /// The sidecar text of an image, or nil when the sampler has none (404).
    private func fetchSidecar(imageID: String, sampler: HTTPClient) throws -> String? {
        do {
            return try sampler.getJSON("/v1/images/\(Self.pathSegment(imageID))/sidecar", as: SidecarDocument.self).text
        } catch let error as ServiceError where error.status == 404 {
            return nil
        }
    }

    /// `value` percent-encoded for use as one path segment.
    static func pathSegment(_ value: String) -> String {
        var allowed = CharacterSet.urlPathAllowed
        allowed.remove(charactersIn: "/?#%")
        return value.addingPercentEncoding(withAllowedCharacters: allowed) ?? value
    }
}
