import Shared

extension SamplerService {
    /// The service's routes: scans, samples, image bytes and sidecars.
    public func makeRouter() -> Router {
        let router = Router()
        router.post("/v1/scans") { [self] request in
            .json(try scan(request.decodeJSON(ScanRequest.self)), status: 201)
        }
        router.post("/v1/samples") { [self] request in
            .json(try drawSample(request.decodeJSON(SampleRequest.self)), status: 201)
        }
        router.get("/v1/samples/{id}") { [self] request in
            .json(try sample(request.pathParameters["id"] ?? ""))
        }
        router.get("/v1/images/{id}") { [self] request in
            let image = try imageBytes(request.pathParameters["id"] ?? "")
            return .bytes(image.bytes, contentType: image.contentType)
        }
        router.get("/v1/images/{id}/sidecar") { [self] request in
            guard let text = try sidecarText(request.pathParameters["id"] ?? "") else {
                throw ServiceError.notFound("sidecar_not_found", "the image has no sidecar caption file")
            }
            return .json(["text": text])
        }
        return router
    }
}
