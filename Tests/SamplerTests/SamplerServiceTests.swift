import Foundation
import Shared
import Testing

@testable import SamplerService

@Suite("Sampler service over HTTP")
struct SamplerServiceTests {
    typealias Support = SamplerTestSupport

    private static let demoImages = Support.demo.appendingPathComponent("images").path

    private func withSampler(roots: [String]? = nil, _ body: (RunningSampler, URL) throws -> Void) throws {
        let folder = try Support.temporaryFolder()
        defer { try? FileManager.default.removeItem(at: folder) }
        let sampler = try RunningSampler(
            roots: roots ?? [Support.demo.path],
            databasePath: folder.appendingPathComponent("sampler.sqlite").path)
        try body(sampler, folder)
    }

    @Test func scanSampleAndServeImages() throws {
        try withSampler { sampler, _ in
            let scan = try sampler.client.postJSON(
                "/v1/scans", body: ScanRequest(dataset: Self.demoImages), as: ScanDocument.self)
            #expect(scan.counts == VerdictCounts(real: 12, ai: 18, unknown: 32))
            #expect(scan.images.count == 62)
            let stealth = try #require(scan.images.first { $0.file == "edge_03_a1111_stealth_alpha.png" })
            #expect(stealth.evidence == ["stealth_pnginfo:alpha_compressed (AUTOMATIC1111)"])

            let request = SampleRequest(scanID: scan.scanID, count: 5, seed: 42)
            let first = try sampler.client.postJSON("/v1/samples", body: request, as: SampleDocument.self)
            let second = try sampler.client.postJSON("/v1/samples", body: request, as: SampleDocument.self)
            #expect(first.images.count == 5)
            #expect(first.images == second.images)
            #expect(first.sampleID != second.sampleID)
            #expect(first.note == nil)
            let realIDs = Set(scan.images.filter { $0.verdict == .real }.map(\.id))
            #expect(first.images.allSatisfy { realIDs.contains($0.id) })
            let fetched = try sampler.client.getJSON("/v1/samples/\(first.sampleID)", as: SampleDocument.self)
            #expect(fetched == first)

            let other = try sampler.client.postJSON(
                "/v1/samples", body: SampleRequest(scanID: scan.scanID, count: 5, seed: 43), as: SampleDocument.self)
            #expect(other.images != first.images)

            let image = try #require(first.images.first)
            let response = try sampler.client.getBytes("/v1/images/\(image.id)")
            #expect(SHA256.hex(response.body) == image.sha256)
            #expect(response.headers["content-type"]?.hasPrefix("image/") == true)

            let sidecar = try sampler.client.getJSON("/v1/images/\(image.id)/sidecar", as: [String: String].self)
            let expected = try String(
                contentsOfFile: Self.demoImages + "/" + (image.file as NSString).deletingPathExtension + ".txt",
                encoding: .utf8)
            #expect(sidecar["text"] == expected.trimmingCharacters(in: .whitespacesAndNewlines))
        }
    }

    @Test func manifestLabelsAndOversizedCounts() throws {
        try withSampler { sampler, _ in
            let request = ScanRequest(dataset: Support.demo.path, manifest: Support.demo.path + "/train.csv")
            let scan = try sampler.client.postJSON("/v1/scans", body: request, as: ScanDocument.self)
            let noExif = try #require(scan.images.first { $0.file == "images/real_noexif_01.jpg" })
            #expect(noExif.verdict == .real)
            #expect(noExif.evidence == ["manifest:label=0"])

            let sample = try sampler.client.postJSON(
                "/v1/samples", body: SampleRequest(scanID: scan.scanID, count: 10_000, seed: 1),
                as: SampleDocument.self)
            #expect(sample.images.count == scan.counts.real)
            #expect(sample.note?.contains("only \(scan.counts.real)") == true)
            #expect(sample.note?.hasSuffix("the sample holds all \(sample.images.count)") == true)
            #expect(sample.count == 10_000)
        }
    }

    @Test func pathsOutsideTheRootsAreRefused() throws {
        let outside = try Support.temporaryFolder()
        defer { try? FileManager.default.removeItem(at: outside) }
        let root = try Support.temporaryFolder()
        defer { try? FileManager.default.removeItem(at: root) }
        let escape = root.appendingPathComponent("escape")
        try FileManager.default.createSymbolicLink(at: escape, withDestinationURL: outside)
        try FileManager.default.createDirectory(
            at: root.appendingPathComponent("inside"),
            withIntermediateDirectories: true)

        try withSampler(roots: [root.path]) { sampler, _ in
            func scanFailure(_ dataset: String, manifest: String? = nil) -> ServiceError? {
                sampler.failure {
                    _ = try $0.postJSON(
                        "/v1/scans", body: ScanRequest(dataset: dataset, manifest: manifest),
                        as: ScanDocument.self)
                }
            }
            #expect(scanFailure(outside.path)?.status == 403)
            #expect(scanFailure(outside.path)?.code == "outside_roots")
            #expect(scanFailure(escape.path)?.code == "outside_roots")
            #expect(scanFailure(root.path + "/inside/../../" + outside.lastPathComponent)?.code == "invalid_path")
            #expect(scanFailure("inside")?.status == 400)
            #expect(scanFailure(root.path + "/missing")?.status == 404)
            #expect(scanFailure(root.path + "/inside", manifest: Support.demo.path + "/train.csv")?.status == 403)

            // Outside the roots is 403 whether the path exists or not, so answers reveal nothing about it.
            for missing in ["/etc/nonexistent", outside.path + "/missing", escape.path + "/missing/deeper", "/"] {
                #expect(scanFailure(missing)?.code == "outside_roots", "\(missing)")
                #expect(scanFailure(root.path + "/inside", manifest: missing)?.code == "outside_roots", "\(missing)")
            }
            #expect(scanFailure("/etc/passwd")?.code == "outside_roots")
            #expect(scanFailure(root.path + "/./inside/missing")?.code == "not_found")
            let empty = try sampler.client.postJSON(
                "/v1/scans", body: ScanRequest(dataset: root.path + "/inside"), as: ScanDocument.self)
            #expect(empty.images.isEmpty)
        }
    }

    @Test func badRequestsGetClearErrors() throws {
        try withSampler { sampler, _ in
            let unknownScan = sampler.failure {
                _ = try $0.postJSON(
                    "/v1/samples", body: SampleRequest(scanID: "scan-999", count: 1, seed: 1),
                    as: SampleDocument.self)
            }
            #expect(unknownScan?.status == 404)
            let badCount = sampler.failure {
                _ = try $0.postJSON(
                    "/v1/samples", body: SampleRequest(scanID: "scan-1", count: 0, seed: 1),
                    as: SampleDocument.self)
            }
            #expect(badCount?.code == "invalid_parameter")
            let malformed = sampler.failure {
                _ = try $0.post("/v1/scans", body: Array("{\"dataset\": 3}".utf8), contentType: "application/json")
            }
            #expect(malformed?.code == "malformed_json")
            #expect(sampler.failure { _ = try $0.getBytes("/v1/images/nope") }?.status == 404)
            #expect(
                sampler.failure { _ = try $0.getJSON("/v1/samples/sample-7", as: SampleDocument.self) }?
                    .status == 404)
        }
    }

    @Test func samplesSurviveARestart() throws {
        let folder = try Support.temporaryFolder()
        defer { try? FileManager.default.removeItem(at: folder) }
        let database = folder.appendingPathComponent("sampler.sqlite").path
        var sample: SampleDocument
        do {
            let sampler = try RunningSampler(roots: [Support.demo.path], databasePath: database)
            let scan = try sampler.client.postJSON(
                "/v1/scans", body: ScanRequest(dataset: Self.demoImages), as: ScanDocument.self)
            sample = try sampler.client.postJSON(
                "/v1/samples", body: SampleRequest(scanID: scan.scanID, count: 3, seed: 9), as: SampleDocument.self)
        }
        let restarted = try RunningSampler(roots: [Support.demo.path], databasePath: database)
        #expect(try restarted.client.getJSON("/v1/samples/\(sample.sampleID)", as: SampleDocument.self) == sample)
    }

    @Test func configurationComesFromFlagsAndEnvironment() throws {
        let options = CommandLineOptions(
            arguments: ["--port", "9001"],
            environment: ["IMGREC_SAMPLER_ROOTS": Support.demo.path + ":/tmp"])
        let configuration = try SamplerConfiguration.parse(options)
        #expect(configuration.port == 9001)
        #expect(configuration.roots.count == 2)
        #expect(throws: ConfigurationError.self) {
            try SamplerConfiguration.parse(CommandLineOptions(arguments: [], environment: [:]))
        }
        #expect(throws: ConfigurationError.self) {
            let options = CommandLineOptions(arguments: ["--roots", "/nonexistent/x"], environment: [:])
            return try SamplerConfiguration.parse(options)
        }
    }
}
