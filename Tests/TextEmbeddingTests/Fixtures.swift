import Foundation

/// Locations of the committed test fixtures, found from this source file so tests run from any directory.
enum Fixtures {
    /// The package root: three levels above this file (`Tests/TextEmbeddingTests/Fixtures.swift`).
    static let packageRoot = URL(fileURLWithPath: #filePath)
        .deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()

    /// A file under `Tests/Fixtures/<area>/`.
    static func url(_ area: String, _ name: String) -> URL {
        packageRoot.appendingPathComponent("Tests/Fixtures/\(area)/\(name)")
    }

    /// A JSON fixture decoded as `T`.
    static func json<T: Decodable>(_ area: String, _ name: String, as type: T.Type) throws -> T {
        try JSONDecoder().decode(T.self, from: Data(contentsOf: url(area, name)))
    }
}

/// The largest absolute difference between two equally long vectors.
func maximumDifference<A: Collection<Float>, B: Collection<Float>>(_ a: A, _ b: B) -> Float {
    precondition(a.count == b.count, "vectors differ in length: \(a.count) vs \(b.count)")
    return zip(a, b).map { abs($0 - $1) }.max() ?? 0
}
