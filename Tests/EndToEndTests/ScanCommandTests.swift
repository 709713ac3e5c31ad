import Foundation
import ImgrecCommands
import Shared
import Testing

/// `imgrec scan DIR --json` over the demo collection agrees with the manifest's expected verdicts.
struct ScanCommandTests {
    struct Line: Decodable {
        var file: String
        var verdict: String
        var evidence: [String]
        var sha256: String
        var size: Int
    }

    func scan(_ arguments: [String]) throws -> [Line] {
        let lines = try ScanCommand.output(
            CommandLineOptions(arguments: arguments, environment: [:], switches: ["json"]))
        return try lines.map { try JSONDecoder().decode(Line.self, from: Data($0.utf8)) }
    }

    @Test func everyPlainExpectedVerdictOfTheDemoIsMet() throws {
        let images = DemoPipelineTests.demo.appendingPathComponent("images").path
        let lines = try scan([images, "--json"])
        let manifest = try DemoPipelineTests.manifest()
        #expect(lines.count == manifest.count)

        var checked = 0
        for line in lines {
            let expected = try #require(manifest[line.file]?["expected_step1"], "\(line.file) is in the manifest")
            guard ["real", "ai", "unknown"].contains(expected) else { continue }
            #expect(line.verdict == expected, "\(line.file): \(line.evidence)")
            #expect(!line.evidence.isEmpty || line.verdict == "unknown")
            checked += 1
        }
        #expect(checked >= 55)

        // Parameters hidden in the alpha channel's low bits, with no text chunk at all.
        let stealth = try #require(lines.first { $0.file == "edge_03_a1111_stealth_alpha.png" })
        #expect(stealth.verdict == "ai")
        #expect(stealth.evidence == ["stealth_pnginfo:alpha_compressed (AUTOMATIC1111)"])
    }

    @Test func kaggleManifestLabelsDecideWhereMetadataIsSilent() throws {
        let demo = DemoPipelineTests.demo
        let lines = try scan([
            demo.appendingPathComponent("images").path, "--manifest", demo.appendingPathComponent("train.csv").path,
            "--json",
        ])
        let byFile = Dictionary(uniqueKeysWithValues: lines.map { ($0.file, $0) })
        // A camera photo whose EXIF was stripped upstream: only the manifest's label 0 says it is real.
        #expect(byFile["real_noexif_08.jpg"]?.verdict == "real")
        #expect(byFile["real_noexif_08.jpg"]?.evidence.contains { $0.hasPrefix("manifest:") } == true)
        // Metadata markers still win over the label.
        #expect(byFile["ai_03_comfyui.png"]?.verdict == "ai")
    }

    @Test func aMissingFolderIsAClearError() {
        #expect(throws: ConfigurationError.self) {
            try scan(["/nonexistent/photos", "--json"])
        }
    }
}
