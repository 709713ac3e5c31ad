import CaptionerService
import Foundation
import RecommenderService
import SamplerService
import Shared
import Testing

/// Each service's OpenAPI document lists exactly the routes the service serves, with the same methods.
struct OpenAPIDocumentTests {
    static let root = DemoPipelineTests.demo.deletingLastPathComponent()

    /// `(method, path)` pairs of an OpenAPI YAML document, read from its indentation: paths at two spaces,
    /// operations at four. Enough for our own documents; not a general YAML reader.
    static func documentedRoutes(_ relativePath: String) throws -> Set<String> {
        let text = try String(contentsOf: root.appendingPathComponent(relativePath), encoding: .utf8)
        var routes: Set<String> = []
        var inPaths = false
        var path: String?
        for line in text.split(separator: "\n", omittingEmptySubsequences: false) {
            if !line.hasPrefix(" ") {
                inPaths = line.hasPrefix("paths:")
                continue
            }
            guard inPaths else { continue }
            if line.hasPrefix("  /"), let colon = line.lastIndex(of: ":") {
                path = String(line[line.index(line.startIndex, offsetBy: 2)..<colon])
            } else if line.hasPrefix("    "), !line.hasPrefix("     "), let path {
                let method = line.dropFirst(4).prefix { $0 != ":" }
                if ["get", "post", "put", "delete"].contains(method) {
                    routes.insert("\(method.uppercased()) \(path)")
                }
            }
        }
        return routes
    }

    /// The service's own routes plus the server's built-in `/healthz` and `/metrics`.
    static func servedRoutes(_ router: Router) -> Set<String> {
        Set(router.registeredRoutes.map { "\($0.method) \($0.pattern)" } + ["GET /healthz", "GET /metrics"])
    }

    func temporaryFile(_ name: String) -> String {
        FileManager.default.temporaryDirectory.appendingPathComponent("imgrec-openapi-\(UUID().uuidString)-\(name)")
            .path
    }

    @Test func samplerDocumentMatchesItsRoutes() throws {
        let configuration = try SamplerConfiguration(
            port: 0, roots: [DemoPipelineTests.demo.path], databasePath: temporaryFile("sampler.sqlite"))
        let service = try SamplerService(configuration: configuration, logger: Logger(label: "t", level: .error))
        #expect(try Self.documentedRoutes("Services/Sampler/openapi.yaml") == Self.servedRoutes(service.makeRouter()))
    }

    @Test func captionerDocumentMatchesItsRoutes() throws {
        let configuration = CaptionerConfiguration(port: 0, databasePath: temporaryFile("captioner.sqlite"))
        let service = try CaptionerService(configuration: configuration, logger: Logger(label: "t", level: .error))
        #expect(
            try Self.documentedRoutes("Services/Captioner/openapi.yaml") == Self.servedRoutes(service.makeRouter()))
    }

    @Test func recommenderDocumentMatchesItsRoutes() throws {
        let configuration = RecommenderConfiguration(
            port: 0, modelPath: temporaryFile("model.imgrec"), embeddingCacheDirectory: nil)
        let service = try RecommenderService(
            configuration: configuration, logger: Logger(label: "t", level: .error))
        #expect(
            try Self.documentedRoutes("Services/Recommender/openapi.yaml") == Self.servedRoutes(service.makeRouter()))
    }
}
