import Shared

extension SamplerService {
    /// The service's routes: scans (in the call or in the background), samples, image bytes and sidecars.
    public func makeRouter() -> Router {
        let router = Router()
        router.post("/v1/scans") { [self] request in
            let body = try request.decodeJSON(ScanRequest.self)
            let document: ScanDocument
            do {
                document = try scan(body)
            } catch let error as ServiceError where error.status == 429 {
                // Background scans take a while; a client should not ask again at once.
                var response = HTTPResponse.error(error)
                response.headers["Retry-After"] = "\(Self.retryAfterSeconds)"
                return response
            }
            guard body.background == true else { return .json(document, status: 201) }
            var response = HTTPResponse.json(document, status: 202)
            response.headers["Location"] = "/v1/scans/\(document.scanID)"
            return response
        }
        router.get("/v1/scans/{id}") { [self] request in
            .json(try scanDocument(request.pathParameters["id"] ?? ""))
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
