import Foundation
import Shared
import Synchronization
import Testing

@testable import RecommenderService

/// A recommender on a free port over a model path in a fresh directory, with a client pointed at it.
final class RunningRecommender {
    let directory: String
    let service: RecommenderService
    let server: HTTPServer
    let client: HTTPClient

    var modelPath: String { directory + "/model.imgrec" }

    /// Starts a recommender over a model of `images` (none when nil) built with `methods` by `builder`; it
    /// serves with `catalog` (the configuration's when nil) and logs into `log`.
    init(
        model images: [ImageCaption]? = nil, methods: [String] = ["tfidf"], builder: ModelBuilder = ModelBuilder(),
        catalog: SearchMethodCatalog? = nil, watchInterval: Double = 0, imageBaseURL: String? = nil,
        log: CapturedLog = CapturedLog()
    ) throws {
        directory = NSTemporaryDirectory() + "imgrec-service-\(UUID().uuidString)"
        try FileManager.default.createDirectory(atPath: directory, withIntermediateDirectories: true)
        if let images {
            try builder.build(images: images, methods: methods, imageBaseURL: "http://sampler:8081")
                .write(to: directory + "/model.imgrec")
        }
        let configuration = RecommenderConfiguration(
            port: 0, modelPath: directory + "/model.imgrec", imageBaseURL: imageBaseURL,
            watchIntervalSeconds: watchInterval)
        let logger = log.logger
        service = try RecommenderService(
            configuration: configuration, logger: logger, catalog: catalog)
        server = HTTPServer(
            configuration: .init(service: "recommender", port: 0), router: service.makeRouter(), logger: logger,
            health: { [service] in service.health() })
        service.attach(metrics: server.metrics)
        try server.start()
        client = HTTPClient(baseURL: "http://127.0.0.1:\(server.port)", service: "recommender", retries: 0)
    }

    deinit {
        server.stop()
        try? FileManager.default.removeItem(atPath: directory)
    }

    /// The status of a failed call, or nil when it succeeded.
    func failure(_ body: () throws -> Void) -> ServiceError? {
        do {
            try body()
            return nil
        } catch {
            return error as? ServiceError
        }
    }
}

/// The lines a test logger wrote.
final class CapturedLog: Sendable {
    private let lines = Mutex<[String]>([])

    /// A logger whose lines land here.
    var logger: Logger {
        Logger(label: "recommender-test", sink: { [self] line in lines.withLock { $0.append(line) } })
    }

    /// Everything logged so far.
    var text: String { lines.withLock { $0.joined(separator: "\n") } }
}

/// Decodable mirrors of the service's answers.
struct SearchAnswer: Decodable {
    struct Result: Decodable {
        let id: String
        let file: String
        let caption: String
        let score: Double
        let image_url: String?
    }
    let query: String
    let method: String
    let results: [Result]
}

struct LegacyAnswer: Decodable {
    let img_url: String
    let score: Double
}

struct ModelAnswer: Decodable {
    struct Model: Decodable {
        let path: String
        let methods: [String]
        let images: Int
        let built_at: String
        let sha256: String
    }
    let model: Model
}

/// A stand-in captioner serving one finished job (id 7) and one running job (id 8).
func stubCaptioner(_ images: [ImageCaption]) throws -> HTTPServer {
    let router = Router()
    router.get("/v1/jobs/{id}") { request in
        let id = request.pathParameters["id"] ?? ""
        guard id == "7" || id == "8" else { throw ServiceError.notFound("job_not_found", "no job \(id)") }
        let status = id == "7" ? "done" : "running"
        return .json(["id": id, "status": status])
    }
    router.get("/v1/jobs/{id}/captions") { _ in
        let captions = images.map {
            ["image_id": $0.id, "file": $0.file, "sha256": "00", "caption": $0.caption, "engine": "embedded"]
        }
        return .json(["captions": captions])
    }
    let server = HTTPServer(
        configuration: .init(service: "captioner", port: 0), router: router,
        logger: Logger(label: "captioner-stub", sink: { _ in }))
    try server.start()
    return server
}

@Test func buildFromACaptionJobThenSearch() throws {
    let demo = TfidfReference.shared.images
    let captioner = try stubCaptioner(demo)
    defer { captioner.stop() }
    let recommender = try RunningRecommender()

    let body = [
        "captioner": "http://127.0.0.1:\(captioner.port)", "job_id": "7", "sampler": "http://sampler.example:8081",
    ]
    let built = try recommender.client.postJSON("/v1/models", body: body, as: ModelAnswer.self)
    #expect(built.model.images == demo.count)
    #expect(built.model.methods == ["tfidf", "bm25"])
    #expect(FileManager.default.fileExists(atPath: recommender.modelPath))

    let answer = try recommender.client.getJSON(
        "/v1/search", query: ["q": "dry beach grass on a dune", "k": "3"], as: SearchAnswer.self)
    #expect(answer.method == "tfidf")
    #expect(answer.results.count == 3)
    #expect(answer.results[0].file == "real_exif_01.jpg")
    #expect(answer.results[0].image_url == "http://sampler.example:8081/v1/images/real_exif_01.jpg")
    #expect(answer.results.map(\.score) == answer.results.map(\.score).sorted(by: >))

    let legacy = try recommender.client.getJSON("/api/mmsys/query", query: ["desc": "beach"], as: [LegacyAnswer].self)
    let same = try recommender.client.getJSON("/v1/search", query: ["q": "beach", "k": "5"], as: SearchAnswer.self)
    #expect(legacy.count == min(5, same.results.count))
    #expect(legacy.map(\.img_url) == same.results.map { $0.image_url! })
    #expect(legacy.map(\.score) == same.results.map(\.score))
}

@Test func buildsFailClearlyForUnfinishedJobsAndUnreachableCaptioners() throws {
    let captioner = try stubCaptioner(TfidfReference.shared.images)
    defer { captioner.stop() }
    let recommender = try RunningRecommender()
    let url = "http://127.0.0.1:\(captioner.port)"

    let running = recommender.failure {
        _ = try recommender.client.postJSON(
            "/v1/models", body: ["captioner": url, "job_id": "8"], as: ModelAnswer.self)
    }
    #expect(running?.status == 409 && running?.code == "job_not_done")
    let unknown = recommender.failure {
        _ = try recommender.client.postJSON(
            "/v1/models", body: ["captioner": url, "job_id": "7", "methods": "x"], as: ModelAnswer.self)
    }
    #expect(unknown?.status == 400)
    let unreachable = recommender.failure {
        _ = try recommender.client.postJSON(
            "/v1/models", body: ["captioner": "http://127.0.0.1:1", "job_id": "7"], as: ModelAnswer.self)
    }
    #expect(unreachable?.status == 502 && unreachable?.code == "upstream_unreachable")
    #expect(!FileManager.default.fileExists(atPath: recommender.modelPath))
}

@Test func searchErrorsAreJSONWithFittingStatuses() throws {
    let empty = try RunningRecommender()
    let noModel = empty.failure {
        _ = try empty.client.getJSON("/v1/search", query: ["q": "dog"], as: SearchAnswer.self)
    }
    #expect(noModel?.status == 503 && noModel?.code == "no_model")

    let recommender = try RunningRecommender(model: TfidfReference.shared.images)
    for (query, code) in [
        (["q": ""], "empty_query"), ([:], "empty_query"), (["q": "dog", "k": "0"], "invalid_parameter"),
        (["q": "dog", "k": "101"], "invalid_parameter"), (["q": "dog", "k": "x"], "invalid_parameter"),
        (["q": "dog", "method": "bm25"], "unknown_method"),
    ] as [([String: String], String)] {
        let error = recommender.failure {
            _ = try recommender.client.getJSON("/v1/search", query: query, as: SearchAnswer.self)
        }
        #expect(error?.status == 400 && error?.code == code, "query \(query)")
    }
}

@Test func longQueriesGoInABodyAndOverlongOnesAreRefused() throws {
    struct Body: Encodable {
        var q: String
        var k: Int?
        var method: String?
    }
    let recommender = try RunningRecommender(model: TfidfReference.shared.images)
    let client = recommender.client
    let viaURL = try client.getJSON("/v1/search", query: ["q": "storm clouds", "k": "3"], as: SearchAnswer.self)
    let viaBody = try client.postJSON("/v1/search", body: Body(q: "storm clouds", k: 3), as: SearchAnswer.self)
    #expect(viaBody.results.map(\.file) == viaURL.results.map(\.file))

    let long = String(repeating: "storm ", count: 1_600)
    #expect(try client.postJSON("/v1/search", body: Body(q: long), as: SearchAnswer.self).results.count > 0)
    for (body, code) in [
        (Body(q: String(repeating: "x", count: SearchIndex.maxQueryCharacters + 1)), "query_too_long"),
        (Body(q: "   "), "empty_query"), (Body(q: "dog", k: 0), "invalid_parameter"),
    ] {
        let error = recommender.failure {
            _ = try recommender.client.postJSON("/v1/search", body: body, as: SearchAnswer.self)
        }
        #expect(error?.status == 400 && error?.code == code)
    }
    let malformed = recommender.failure {
        _ = try client.post("/v1/search", body: Array("{\"k\": 3}".utf8), contentType: "application/json")
    }
    #expect(malformed?.status == 400 && malformed?.code == "malformed_json")
}

@Test func imageBaseURLCanBeOverridden() throws {
    let recommender = try RunningRecommender(
        model: TfidfReference.shared.images, imageBaseURL: "https://cdn.example/photos")
    let answer = try recommender.client.getJSON("/v1/search", query: ["q": "storm clouds"], as: SearchAnswer.self)
    #expect(answer.results.first?.image_url == "https://cdn.example/photos/v1/images/real_exif_03.jpg")
}

@Test func healthMetricsAndSearchPage() throws {
    let recommender = try RunningRecommender(model: TfidfReference.shared.images)
    _ = try recommender.client.getJSON("/v1/search", query: ["q": "leaf"], as: SearchAnswer.self)

    let health = try JSONDecoder().decode(
        [String: String].self, from: Data(try recommender.client.getBytes("/healthz").body))
    #expect(health["model_path"] == recommender.modelPath)
    #expect(health["methods"] == "tfidf")
    #expect(health["images"] == "\(TfidfReference.shared.images.count)")

    let metrics = String(decoding: try recommender.client.getBytes("/metrics").body, as: UTF8.self)
    #expect(metrics.contains(#"recommender_searches_total{method="tfidf"} 1"#))
    #expect(metrics.contains("recommender_model_loaded_timestamp_seconds"))

    let page = try recommender.client.getBytes("/")
    let html = String(decoding: page.body, as: UTF8.self)
    #expect(page.headers.first { $0.key.lowercased() == "content-type" }?.value.hasPrefix("text/html") == true)
    #expect(html.contains("<input type=\"search\""))
    #expect(html.contains("/v1/search?"))
    #expect(html.contains("<option value=\"tfidf\">tfidf</option>"))
    #expect(!html.contains("src=\"http") && !html.contains("href=\"http"))
}
