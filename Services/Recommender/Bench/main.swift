// recommender-bench: search latency of a recommender serving a `minilm` model of many images, measured over
// HTTP on loopback. Builds the model from synthetic captions (a fixed-seed mix of subjects, settings and
// colours), starts the service on a free port, and times GET /v1/search with a simple client.
//
// usage: recommender-bench [--images N] [--queries N] [--method M] [--model-dir DIR]
import Foundation
import RecommenderService
import Shared

let options = CommandLineOptions()
let imageCount = try options.int("images", default: 10_000, range: 1...1_000_000)
let queryCount = try options.int("queries", default: 300, range: 10...100_000)
let method = options.string("method", default: "minilm")!
let modelDirectory = options.string("model-dir", env: "IMGREC_MODEL_DIR", default: "models")!

let (catalog, missing) = SearchMethodCatalog.loading(modelDirectory: modelDirectory)
if let reason = missing["minilm"] {
    FileHandle.standardError.write(Data("recommender-bench: minilm unavailable: \(reason)\n".utf8))
    exit(1)
}

let captions = SyntheticCaptions.make(count: imageCount)
let images = captions.enumerated().map {
    ImageCaption(id: "\($0.offset)", file: "img\($0.offset).jpg", caption: $0.element)
}
let directory = NSTemporaryDirectory() + "recommender-bench-\(UUID().uuidString)"
try FileManager.default.createDirectory(atPath: directory, withIntermediateDirectories: true)
defer { try? FileManager.default.removeItem(atPath: directory) }
let modelPath = directory + "/model.imgrec"

let buildStart = Date()
try ModelBuilder(catalog: catalog).build(images: images, methods: [method], imageBaseURL: nil).write(to: modelPath)
print(String(format: "built %d-image %@ model in %.1f s", imageCount, method, Date().timeIntervalSince(buildStart)))

let logger = Logger(label: "recommender-bench", level: .warning)
let configuration = RecommenderConfiguration(port: 0, modelPath: modelPath, watchIntervalSeconds: 0)
let service = try RecommenderService(configuration: configuration, logger: logger, catalog: catalog)
let server = HTTPServer(
    configuration: .init(service: "recommender", port: 0, threads: configuration.threads),
    router: service.makeRouter(), logger: logger)
try server.start()
defer { server.stop() }

let client = HTTPClient(baseURL: "http://127.0.0.1:\(server.port)", service: "recommender", retries: 0)
let queries = SyntheticCaptions.queries(count: queryCount)
for query in queries.prefix(10) {  // warm-up: page in the model, fill caches
    _ = try client.getBytes("/v1/search", query: ["q": query, "k": "10", "method": method])
}
var milliseconds = [Double]()
for query in queries {
    let start = DispatchTime.now().uptimeNanoseconds
    let response = try client.getBytes("/v1/search", query: ["q": query, "k": "10", "method": method])
    milliseconds.append(Double(DispatchTime.now().uptimeNanoseconds - start) / 1e6)
    guard response.status == 200 else { fatalError("search answered \(response.status)") }
}
milliseconds.sort()
let sorted = milliseconds
let percentile = { (p: Double) in sorted[min(sorted.count - 1, Int(p * Double(sorted.count)))] }
print(
    String(
        format: "%d searches (%@, k=10, %d images) over HTTP: p50 %.2f ms, p95 %.2f ms, p99 %.2f ms, max %.2f ms",
        milliseconds.count, method, imageCount, percentile(0.50), percentile(0.95), percentile(0.99),
        milliseconds.last!))
