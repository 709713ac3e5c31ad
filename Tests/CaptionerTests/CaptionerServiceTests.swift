import CaptionerService
import Foundation
import Shared
import Testing

/// `POST /v1/captions` on a real server: captions, the cache, bad input, health and metrics.
@Suite(.serialized)
struct CaptionerServiceTests {
    @Test func anImageWithAnEmbeddedDescriptionIsCaptioned() throws {
        let captioner = try RunningCaptioner.fresh()
        defer { captioner.shutDown() }

        let response = try captioner.client.post(
            "/v1/captions", body: try CaptionerFixtures.demo("ai_06_novelai.png"), contentType: "image/png")
        let record = try JSONDecoder().decode(CaptionRecord.self, from: Data(response.body))

        #expect(response.status == 200)
        #expect(record.caption == "soft flowing lavender and blue gradient waves")
        #expect(record.rawCaption == record.caption)
        #expect(record.engine == "embedded")
        #expect(record.model == "sidecar+metadata-v1")
        #expect(record.tokens.isEmpty)
        #expect(record.ms >= 0)
        #expect(!record.cached)
    }

    @Test func theSameContentIsCaptionedOnce() throws {
        let engine = CountingEngine()
        let captioner = try RunningCaptioner.fresh(engine: engine)
        defer { captioner.shutDown() }
        let bytes = try CaptionerFixtures.demo("ai_14_novelai.png")

        let first = try captioner.caption(bytes)
        let second = try captioner.caption(bytes)

        #expect(engine.callCount == 1)
        #expect(!first.cached && second.cached)
        #expect(first.caption == second.caption)
        #expect(second.sha256 == SHA256.hex(bytes))
        #expect(try captioner.service.store.captionCount() == 1)
        let metrics = String(decoding: try captioner.client.getBytes("/metrics").body, as: UTF8.self)
        #expect(metrics.contains("captioner_captions_total{engine=\"embedded\"} 1"))
        #expect(metrics.contains("captioner_cache_hits_total{engine=\"embedded\"} 1"))
    }

    @Test func simultaneousRequestsForOneImageMakeOneEngineCall() throws {
        let engine = CountingEngine()
        let captioner = try RunningCaptioner.fresh(engine: engine)
        defer { captioner.shutDown() }
        let bytes = try CaptionerFixtures.demo("ai_06_novelai.png")
        let cachedAnswers = Locked(0)

        DispatchQueue.concurrentPerform(iterations: 8) { _ in
            if let record = try? captioner.caption(bytes), record.cached {
                cachedAnswers.withValue { $0 += 1 }
            }
        }

        #expect(engine.callCount == 1)
        #expect(cachedAnswers.withValue { $0 } == 7)
    }

    @Test func theCacheOutlivesTheService() throws {
        let database = try CaptionerFixtures.temporaryDatabase()
        let bytes = try CaptionerFixtures.demo("ai_06_novelai.png")
        let firstEngine = CountingEngine()
        let first = try RunningCaptioner(databasePath: database, engine: firstEngine)
        _ = try first.client.post("/v1/captions", body: bytes, contentType: "image/png")
        first.shutDown()

        let secondEngine = CountingEngine()
        let second = try RunningCaptioner(databasePath: database, engine: secondEngine)
        defer { second.shutDown() }
        let record = try second.caption(bytes)

        #expect(firstEngine.callCount == 1 && secondEngine.callCount == 0)
        #expect(record.cached)
    }

    @Test(arguments: [
        ("empty", 400, "empty_image"),
        ("text", 415, "unsupported_image_format"),
        ("truncated", 422, "truncated_image"),
        ("corrupt", 422, "corrupt_image"),
        ("huge", 422, "image_too_large"),
        ("no description", 422, "no_caption"),
    ])
    func badInputGetsAJSONError(kind: String, status: Int, code: String) throws {
        let engine = CountingEngine()
        let captioner = try RunningCaptioner.fresh(engine: engine)
        defer { captioner.shutDown() }
        let photo = try CaptionerFixtures.demo("real_exif_01.jpg")
        let body: [UInt8] =
            switch kind {
            case "empty": []
            case "text": Array("just some words".utf8)
            case "truncated": Array(photo.prefix(photo.count / 2))
            case "corrupt":
                Array(photo.prefix(2)) + [0xFF, 0xC0, 0x00, 0x03, 0x01] + Array(repeating: 0x55, count: 200)
            case "huge": try CaptionerFixtures.decoding("huge.png")
            default: try CaptionerFixtures.demo("real_exif_02.jpg")  // only "KONICA MINOLTA DIGITAL CAMERA"
            }

        let error = #expect(throws: ServiceError.self) {
            try captioner.client.post("/v1/captions", body: body, contentType: "application/octet-stream")
        }

        #expect(error?.status == status)
        #expect(error?.code == code)
        #expect(engine.callCount == (kind == "no description" ? 1 : 0))
    }

    @Test func healthNamesTheEngineAndModel() throws {
        let captioner = try RunningCaptioner.fresh()
        defer { captioner.shutDown() }

        let health = try captioner.client.getJSON("/healthz", as: [String: String].self)

        #expect(health["status"] == "ok")
        #expect(health["engine"] == "embedded")
        #expect(health["model"] == "sidecar+metadata-v1")
    }
}
