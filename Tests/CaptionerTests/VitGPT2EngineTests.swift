import CaptionerService
import Foundation
import Shared
import Testing

/// The `vit-gpt2` engine behind a real captioner server, against the PyTorch reference token ids of the tiny
/// random model in `Tests/Fixtures/vitgpt2/` (written by `scripts/vitgpt2_reference.py`).
@Suite(.serialized)
struct VitGPT2EngineTests {
    /// `Tests/Fixtures/vitgpt2/`.
    static let fixtures = CaptionerFixtures.repositoryRoot.appendingPathComponent("Tests/Fixtures/vitgpt2")

    /// A reference `generate` result from `manifest.json`.
    struct Reference: Decodable {
        let tokens: [Int]
        let text: String
    }

    /// The references of one image: generation setting name → result.
    static func references(_ image: String) throws -> [String: Reference] {
        struct Image: Decodable {
            let name: String
            let generated: [String: Reference]
        }
        struct Manifest: Decodable {
            let images: [Image]
        }
        let data = try Data(contentsOf: fixtures.appendingPathComponent("manifest.json"))
        let manifest = try JSONDecoder().decode(Manifest.self, from: data)
        return try #require(manifest.images.first { $0.name == image }?.generated)
    }

    /// A captioner started from command-line flags as `captioner` starts, on port 0 and a fresh database.
    static func started(_ flags: [String]) throws -> RunningCaptioner {
        let arguments = flags + ["--port", "0", "--db", try CaptionerFixtures.temporaryDatabase()]
        let configuration = try CaptionerConfiguration.parse(CommandLineOptions(arguments: arguments, environment: [:]))
        return try RunningCaptioner(
            service: CaptionerService(configuration: configuration, logger: RunningCaptioner.logger))
    }

    private static let modelFlags = [
        "--engine", "vit-gpt2", "--model-dir", fixtures.appendingPathComponent("tiny-model").path,
    ]

    @Test(arguments: ["gradient-320x240", "shapes-97x61", "stripes-451x130"])
    func aPNGIsCaptionedWithTheReferenceBeamSearchTokens(image: String) throws {
        let captioner = try Self.started(Self.modelFlags)
        defer { captioner.shutDown() }
        let reference = try #require(try Self.references(image)["beam4"])

        let record = try captioner.caption(
            [UInt8](try Data(contentsOf: Self.fixtures.appendingPathComponent("\(image).png"))))

        #expect(record.tokens == reference.tokens)
        #expect(record.rawCaption == reference.text)
        #expect(record.engine == "vit-gpt2")
        #expect(record.model.hasPrefix("tiny-model weights:"))
        #expect(record.model.hasSuffix("beams:4 max_length:16"))
        #expect(!record.cached)
    }

    @Test func oneBeamIsGreedySearchAndAnotherCacheEntry() throws {
        let greedy = try Self.started(Self.modelFlags + ["--beams", "1"])
        defer { greedy.shutDown() }
        let reference = try #require(try Self.references("stripes-451x130")["greedy"])
        let bytes = [UInt8](try Data(contentsOf: Self.fixtures.appendingPathComponent("stripes-451x130.png")))

        let first = try greedy.caption(bytes)
        let second = try greedy.caption(bytes)

        #expect(first.tokens == reference.tokens)
        #expect(first.rawCaption == reference.text)
        #expect(first.model.hasSuffix("beams:1 max_length:16"))
        #expect(second.cached && second.tokens == first.tokens)
    }

    @Test func healthNamesTheEngineAndTheModelWithItsChecksum() throws {
        let captioner = try Self.started(Self.modelFlags + ["--max-length", "10"])
        defer { captioner.shutDown() }

        let health = try captioner.client.getJSON("/healthz", as: [String: String].self)

        #expect(health["engine"] == "vit-gpt2")
        let model = try #require(health["model"])
        #expect(
            model.range(
                of: #"^tiny-model weights:[0-9a-f]{16} beams:4 max_length:10$"#,
                options: .regularExpression) != nil)
    }

    @Test func aModelFolderThatFailsToLoadIsAStartUpErrorNamingTheFile() throws {
        let folder = FileManager.default.temporaryDirectory.appendingPathComponent("vitgpt2-\(UUID().uuidString)")
        try FileManager.default.copyItem(at: Self.fixtures.appendingPathComponent("tiny-model"), to: folder)
        defer { try? FileManager.default.removeItem(at: folder) }
        try FileManager.default.removeItem(at: folder.appendingPathComponent("vocab.json"))

        let error = #expect(throws: ConfigurationError.self) {
            try Self.started(["--engine", "vit-gpt2", "--model-dir", folder.path])
        }

        #expect(error?.message.contains("vocab.json") == true)
    }

    @Test func aMaximumLengthBeyondThePositionEmbeddingsIsAStartUpError() {
        let error = #expect(throws: ConfigurationError.self) {
            try Self.started(Self.modelFlags + ["--max-length", "64"])
        }

        #expect(error?.message.contains("max_length") == true)
    }
}
