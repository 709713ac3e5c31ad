import CaptionerService
import Foundation
import Shared

/// Files from the repository: the demo collection and the decoding fixtures.
enum CaptionerFixtures {
    static let repositoryRoot = URL(fileURLWithPath: #filePath)
        .deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()

    /// The bytes of `demo/images/<name>`.
    static func demo(_ name: String) throws -> [UInt8] {
        [UInt8](try Data(contentsOf: repositoryRoot.appendingPathComponent("demo/images/\(name)")))
    }

    /// The text of the sidecar `demo/images/<name>.txt`, trimmed.
    static func demoSidecar(_ name: String) throws -> String {
        let url = repositoryRoot.appendingPathComponent("demo/images/\(name)")
            .deletingPathExtension().appendingPathExtension("txt")
        return try String(contentsOf: url, encoding: .utf8).trimmingCharacters(in: .whitespacesAndNewlines)
    }

    /// The bytes of `Tests/Fixtures/Decoding/<name>`.
    static func decoding(_ name: String) throws -> [UInt8] {
        [UInt8](try Data(contentsOf: repositoryRoot.appendingPathComponent("Tests/Fixtures/Decoding/\(name)")))
    }

    /// A fresh database path in a new temporary folder.
    static func temporaryDatabase() throws -> String {
        let folder = FileManager.default.temporaryDirectory.appendingPathComponent("captioner-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
        return folder.appendingPathComponent("captioner.sqlite").path
    }
}

/// An engine that counts its calls and wraps the real `embedded` engine.
final class CountingEngine: CaptionEngine, @unchecked Sendable {
    // @unchecked: `calls` and `inputs` are only touched under `lock`.
    private let lock = NSLock()
    private var calls = 0
    private var hashes: [String] = []
    private let inner = EmbeddedEngine()

    var name: String { inner.name }
    var modelDescription: String { inner.modelDescription }
    var readsSidecar: Bool { inner.readsSidecar }

    /// How often `caption` was called.
    var callCount: Int { lock.withLock { calls } }
    /// The SHA-256 of every image captioned, in call order.
    var captionedHashes: [String] { lock.withLock { hashes } }

    func caption(_ input: CaptionInput) throws -> EngineCaption {
        lock.withLock {
            calls += 1
            hashes.append(SHA256.hex(input.image))
        }
        return try inner.caption(input)
    }
}

/// A stand-in sampler: an HTTP server with one sample of demo images, serving their bytes and sidecars.
final class StubSampler {
    struct Image {
        var id: String
        var file: String
        var sidecar: String?
    }

    let server: HTTPServer
    let images: [Image]

    /// Serves `sample_id` "s1" with `files` from the demo collection; `withSidecar` names those whose
    /// sidecar text is served (the others answer 404). `replaced` maps a file to another demo file whose
    /// bytes are served in its place while the sample keeps the first one's SHA-256, as after a file was
    /// replaced and scanned again.
    init(files: [String], withSidecar: Set<String>, replaced: [String: String] = [:]) throws {
        var images: [Image] = []
        var bytes: [String: [UInt8]] = [:]
        var recordedHashes: [String: String] = [:]
        for (index, file) in files.enumerated() {
            let id = "img-\(index + 1)"
            let original = try CaptionerFixtures.demo(file)
            recordedHashes[id] = SHA256.hex(original)
            bytes[id] = try replaced[file].map(CaptionerFixtures.demo) ?? original
            let sidecar = withSidecar.contains(file) ? try CaptionerFixtures.demoSidecar(file) : nil
            images.append(Image(id: id, file: file, sidecar: sidecar))
        }
        self.images = images

        let router = Router()
        let sample = StubSample(
            sampleID: "s1",
            images: images.map { StubSample.Image(id: $0.id, file: $0.file, sha256: recordedHashes[$0.id] ?? "") })
        router.get("/v1/samples/{id}") { request in
            guard request.pathParameters["id"] == "s1" else {
                throw ServiceError.notFound("sample_not_found", "no such sample")
            }
            return .json(sample)
        }
        let frozenImages = images
        let frozenBytes = bytes
        router.get("/v1/images/{id}") { request in
            guard let body = frozenBytes[request.pathParameters["id"] ?? ""] else {
                throw ServiceError.notFound("image_not_found", "no such image")
            }
            return .bytes(body, contentType: "application/octet-stream")
        }
        router.get("/v1/images/{id}/sidecar") { request in
            guard let text = frozenImages.first(where: { $0.id == request.pathParameters["id"] })?.sidecar else {
                throw ServiceError.notFound("sidecar_not_found", "no sidecar")
            }
            return .json(["text": text])
        }
        server = HTTPServer(
            configuration: .init(service: "sampler", port: 0), router: router,
            logger: Logger(label: "stub-sampler", level: .error))
        try server.start()
    }

    var url: String { "http://127.0.0.1:\(server.port)" }

    deinit {
        server.stop()
    }
}

/// The sample document the stub serves.
struct StubSample: Encodable {
    struct Image: Encodable {
        var id: String
        var file: String
        var sha256: String
    }

    var sampleID: String
    var images: [Image]

    enum CodingKeys: String, CodingKey {
        case images
        case sampleID = "sample_id"
    }
}

/// A captioner service behind a real HTTP server on a free port.
final class RunningCaptioner: Sendable {
    let service: CaptionerService
    let server: HTTPServer
    let client: HTTPClient

    convenience init(databasePath: String, engine: any CaptionEngine, maxPixels: Int = 50_000_000) throws {
        let configuration = CaptionerConfiguration(port: 0, databasePath: databasePath, maxPixels: maxPixels)
        try self.init(
            service: CaptionerService(
                configuration: configuration, logger: RunningCaptioner.logger, engine: engine))
    }

    /// A server on any free port over `service`, its worker started.
    init(service: CaptionerService) throws {
        let logger = RunningCaptioner.logger
        self.service = service
        server = HTTPServer(
            configuration: .init(service: "captioner", port: 0), router: service.makeRouter(), logger: logger,
            health: { [service] in service.health() })
        try server.start()
        try service.start(metrics: server.metrics)
        client = HTTPClient(baseURL: "http://127.0.0.1:\(server.port)", service: "captioner", retries: 0)
    }

    /// The tests' logger: errors only.
    static let logger = Logger(label: "captioner-test", level: .error)

    /// A captioner on a new, empty database.
    static func fresh(engine: any CaptionEngine = CountingEngine()) throws -> RunningCaptioner {
        try RunningCaptioner(databasePath: try CaptionerFixtures.temporaryDatabase(), engine: engine)
    }

    /// Posts `image` to `/v1/captions` and decodes the answer.
    func caption(_ image: [UInt8]) throws -> CaptionRecord {
        let response = try client.post("/v1/captions", body: image, contentType: "application/octet-stream")
        return try JSONDecoder().decode(CaptionRecord.self, from: Data(response.body))
    }

    /// Submits a job over `sampleID` at `sampler`.
    func submitJob(sampler: String, sampleID: String) throws -> CaptionJob {
        try client.postJSON("/v1/jobs", body: ["sampler": sampler, "sample_id": sampleID], as: CaptionJob.self)
    }

    /// Submits a job for the stub's sample "s1", waits for its end and returns it with its captions list.
    func runJob(on sampler: StubSampler) throws -> (job: CaptionJob, list: JobCaptionList) {
        let created = try submitJob(sampler: sampler.url, sampleID: "s1")
        let job = try waitForJob(created.id)
        return (job, try client.getJSON("/v1/jobs/\(created.id)/captions", as: JobCaptionList.self))
    }

    /// Stops the worker and the server.
    func shutDown() {
        service.stop()
        server.stop()
    }

    /// Polls the job until it is done or failed (at most about 30 seconds).
    func waitForJob(_ id: String) throws -> CaptionJob {
        var job = try client.getJSON("/v1/jobs/\(id)", as: CaptionJob.self)
        var polls = 0
        while job.status == .queued || job.status == .running, polls < 3_000 {
            Thread.sleep(forTimeInterval: 0.01)
            job = try client.getJSON("/v1/jobs/\(id)", as: CaptionJob.self)
            polls += 1
        }
        return job
    }
}

/// The answer of `GET /v1/jobs/{id}/captions`.
struct JobCaptionList: Decodable {
    var captions: [JobCaption]
    var failures: [JobFailure]
}

/// A value shared between threads behind a lock.
final class Locked<Value>: @unchecked Sendable {
    // @unchecked: `value` is only touched under `lock`.
    private let lock = NSLock()
    private var value: Value

    init(_ value: Value) {
        self.value = value
    }

    func withValue<T>(_ body: (inout Value) -> T) -> T {
        lock.withLock { body(&value) }
    }
}
