import Foundation
import Imaging
import SamplerService

/// Paths shared by the sampler tests.
enum SamplerTestSupport {
    /// The repository root, found from this file's location.
    static let repositoryRoot = URL(fileURLWithPath: #filePath)
        .deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()

    static let demo = repositoryRoot.appendingPathComponent("demo")
    static let fixtures = repositoryRoot.appendingPathComponent("Tests/Fixtures/provenance")
    static let stealthFixtures = repositoryRoot.appendingPathComponent("Tests/Fixtures/stealth")
    static let c2paFixtures = repositoryRoot.appendingPathComponent("Tests/Fixtures/c2pa")

    static func classify(_ url: URL, label: ManifestLabel? = nil) throws -> ProvenanceResult {
        ProvenanceClassifier.classify(fileBytes: [UInt8](try Data(contentsOf: url)), manifestLabel: label)
    }

    /// A fresh empty folder under the temporary directory.
    static func temporaryFolder() throws -> URL {
        let url = FileManager.default.temporaryDirectory
            .appendingPathComponent("imgrec-sampler-tests-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: url, withIntermediateDirectories: true)
        return url
    }
}
