import Foundation
import ImgrecCommands
import SamplerService
import Shared
import Testing

/// The whole path from the mixed demo collection to ranked results, through three real services on
/// loopback ports, driven over HTTP exactly as `imgrec pipeline` drives them.
@Suite(.serialized)
struct DemoPipelineTests {
    static let demo = URL(fileURLWithPath: #filePath)
        .deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()
        .appendingPathComponent("demo")

    /// The manifest's rows by file name.
    static func manifest() throws -> [String: [String: String]] {
        let text = try String(contentsOf: demo.appendingPathComponent("manifest.csv"), encoding: .utf8)
        let rows = CSVParser.rows(text)
        let header = rows[0]
        var byFile: [String: [String: String]] = [:]
        for row in rows.dropFirst() where row.count == header.count {
            byFile[row[0]] = Dictionary(uniqueKeysWithValues: zip(header, row))
        }
        return byFile
    }

    /// Runs `body` against a fresh stack with its own temporary data folder.
    func withStack(_ body: (ServiceStack) throws -> Void) throws {
        let data = FileManager.default.temporaryDirectory.appendingPathComponent("imgrec-e2e-\(UUID().uuidString)")
        defer { try? FileManager.default.removeItem(at: data) }
        var configuration = ServiceStack.Configuration(
            datasetRoot: Self.demo.path, dataDirectory: data.path, embeddingCacheDirectory: nil)
        configuration.recommenderPort = 0
        let stack = try ServiceStack(configuration, logger: Logger(label: "e2e", level: .error))
        defer { stack.stop() }
        try body(stack)
    }

    func driver(_ stack: ServiceStack) -> PipelineDriver {
        PipelineDriver(
            samplerURL: stack.samplerURL, captionerURL: stack.captionerURL, recommenderURL: stack.recommenderURL,
            progress: { _ in })
    }

    @Test func realPhotosOnlyPipelineFindsTheRightPhotos() throws {
        try withStack { stack in
            let images = Self.demo.appendingPathComponent("images").path
            let outcome = try driver(stack).run(.init(dataset: images, count: 100, seed: 7))

            let manifest = try Self.manifest()
            let expectedReal = manifest.values.filter { $0["expected_step1"]?.hasPrefix("real") == true }.count
            #expect(outcome.counts.real == expectedReal)
            #expect(outcome.sampled == expectedReal)
            #expect(outcome.sampleNote != nil, "asking for more than exist says so")
            #expect(outcome.captioned == expectedReal)

            let search = SearchClient(baseURL: stack.recommenderURL)
            let stonehenge = try search.search("stonehenge standing stones", k: 3).hits
            #expect(stonehenge.first?.file == "real_exif_10.webp")
            let crow = try search.search("a black crow", k: 3).hits
            #expect(crow.first?.file == "real_exif_05.jpg")
            #expect(crow.first?.caption == manifest["real_exif_05.jpg"]?["human_caption"])

            // Nothing AI-marked or unsampled is ever returned.
            let all = try search.search("a the of with on", k: 100).hits
            #expect(all.allSatisfy { manifest[$0.file]?["expected_step1"]?.hasPrefix("real") == true })
        }
    }

    @Test func demoSampleWithUnknownPhotosAnswersTheOriginalQueries() throws {
        try withStack { stack in
            let images = Self.demo.appendingPathComponent("images").path
            _ = try driver(stack).run(.init(dataset: images, count: 100, seed: 42, verdicts: [.real, .unknown]))
            let search = SearchClient(baseURL: stack.recommenderURL)

            let dogs = try search.search("two dogs looking out of a wooden hut", k: 5).hits
            #expect(dogs.first?.file == "real_noexif_08.jpg")
            #expect(dogs.map(\.score) == dogs.map(\.score).sorted(by: >))
            #expect(dogs.first?.imageURL?.hasPrefix(stack.samplerURL + "/v1/images/") == true)

            // The image URL serves the very image the result names.
            let hit = try #require(dogs.first)
            let bytes = try HTTPClient(baseURL: try #require(hit.imageURL), service: "sampler").getBytes("").body
            let onDisk = try Data(contentsOf: Self.demo.appendingPathComponent("images/\(hit.file)"))
            #expect(bytes == [UInt8](onDisk))

            // The original Flask API's shape, each score next to its own image.
            struct Legacy: Decodable {
                var img_url: String
                var score: Double
            }
            let legacy = try HTTPClient(baseURL: stack.recommenderURL, service: "recommender").getJSON(
                "/api/mmsys/query", query: ["desc": "two dogs looking out of a wooden hut"], as: [Legacy].self)
            #expect(legacy.count == 5)
            #expect(legacy.map(\.img_url) == dogs.compactMap(\.imageURL))
            #expect(zip(legacy.map(\.score), dogs.map(\.score)).allSatisfy { abs($0 - $1) < 1e-9 })
        }
    }

    @Test func theSameSeedDrawsTheSameSampleAndAnotherSeedAnother() throws {
        try withStack { stack in
            let sampler = HTTPClient(baseURL: stack.samplerURL, service: "sampler")
            let images = Self.demo.appendingPathComponent("images").path
            let scan = try sampler.postJSON("/v1/scans", body: ScanRequest(dataset: images), as: ScanDocument.self)
            func draw(_ seed: UInt64) throws -> [String] {
                let request = SampleRequest(scanID: scan.scanID, count: 10, seed: seed, verdicts: [.real, .unknown])
                return try sampler.postJSON("/v1/samples", body: request, as: SampleDocument.self).images.map(\.file)
            }
            #expect(try draw(3) == draw(3))
            #expect(try draw(3) != draw(4))
            #expect(try draw(3).allSatisfy { !$0.hasPrefix("ai_") })
        }
    }

    @Test func aFailingServiceIsNamedInThePipelineError() throws {
        try withStack { stack in
            let broken = PipelineDriver(
                samplerURL: stack.samplerURL, captionerURL: "http://127.0.0.1:9", recommenderURL: stack.recommenderURL,
                progress: { _ in })
            let images = Self.demo.appendingPathComponent("images").path
            #expect {
                try broken.run(.init(dataset: images, count: 3, seed: 1))
            } throws: { error in
                (error as? ServiceError)?.message.contains("captioner") == true
            }
        }
    }
}
