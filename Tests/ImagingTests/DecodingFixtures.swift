import Foundation

/// Reads decoding fixtures from the repository: tiny made-up images in Tests/Fixtures/Decoding and the
/// demo collection in demo/images.
enum DecodingFixtures {
    /// The repository root, found from this source file's location.
    static let repositoryRoot = URL(fileURLWithPath: #filePath)
        .deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()

    /// The bytes of `Tests/Fixtures/Decoding/<name>`.
    static func fixture(_ name: String) throws -> [UInt8] {
        let url = repositoryRoot.appendingPathComponent("Tests/Fixtures/Decoding/\(name)")
        return [UInt8](try Data(contentsOf: url))
    }

    /// The bytes of `demo/images/<name>`.
    static func demo(_ name: String) throws -> [UInt8] {
        let url = repositoryRoot.appendingPathComponent("demo/images/\(name)")
        return [UInt8](try Data(contentsOf: url))
    }
}
