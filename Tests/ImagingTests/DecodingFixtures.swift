import Foundation

/// The decoding tests' inputs: tiny made-up images in Tests/Fixtures/Decoding and the demo collection.
enum DecodingFixtures {
    /// The bytes of `Tests/Fixtures/Decoding/<name>`.
    static func fixture(_ name: String) throws -> [UInt8] {
        try MetadataTestSupport.bytes(
            at: MetadataTestSupport.repositoryRoot.appendingPathComponent("Tests/Fixtures/Decoding/\(name)"))
    }

    /// The bytes of `demo/images/<name>`.
    static func demo(_ name: String) throws -> [UInt8] {
        try MetadataTestSupport.demoImage(name)
    }
}
