import Foundation

/// Lists the demo collection's image files for the metadata tests.
enum FileManagerListing {
    static func demoImageNames() throws -> [String] {
        let folder = MetadataTestSupport.repositoryRoot.appendingPathComponent("demo/images")
        return try FileManager.default.contentsOfDirectory(atPath: folder.path)
            .filter { !$0.hasSuffix(".txt") }
            .sorted()
    }
}
