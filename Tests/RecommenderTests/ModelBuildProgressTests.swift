import Foundation
import Shared
import Testing

@testable import RecommenderService

/// Counts the captions each `encodeBatch` call gets, to see how a build splits them.
private final class BatchRecorder: @unchecked Sendable {
    // `@unchecked Sendable`: used from one test's thread only.
    var sizes = [Int]()
}

private struct RecordingEncoder: TextEncoder {
    let recorder: BatchRecorder
    var identity: String { "concepts-v1" }
    var dimensions: Int { ConceptEncoder().dimensions }

    func encode(_ text: String) throws -> [Float] { try ConceptEncoder().encode(text) }

    func encodeBatch(_ texts: [String]) throws -> [[Float]] {
        recorder.sizes.append(texts.count)
        return try texts.map(encode)
    }
}

@Test func aLargeBuildEncodesInBlocksAndReportsEach() throws {
    let captions = (0..<1_100).map { ImageCaption(id: "\($0)", file: "\($0).jpg", caption: "a dog number \($0)") }
    let recorder = BatchRecorder()
    let builder = ModelBuilder(catalog: SearchMethodCatalog(encoders: ["minilm": RecordingEncoder(recorder: recorder)]))
    var reports = [(method: String, done: Int, total: Int)]()
    let writer = try builder.build(images: captions, methods: ["minilm", "tfidf"], imageBaseURL: nil) {
        reports.append(($0, $1, $2))
    }

    #expect(recorder.sizes == [512, 512, 76])
    #expect(reports.map(\.method) == Array(repeating: "minilm", count: 4))
    #expect(reports.map(\.done) == [0, 512, 1_024, 1_100] && reports.allSatisfy { $0.total == 1_100 })

    // The blocks change nothing: every caption still gets its own vector, in order.
    let path = NSTemporaryDirectory() + "imgrec-progress-\(UUID().uuidString).imgrec"
    defer { try? FileManager.default.removeItem(atPath: path) }
    try writer.write(to: path)
    let index = try SearchIndex(path: path, catalog: SearchMethodCatalog(encoders: ["minilm": ConceptEncoder()]))
    let top = try index.search("dog number 1099", k: 1, method: "tfidf").results.first
    #expect(top?.file == "1099.jpg")
    #expect(index.images.count == 1_100)
    #expect(try index.search("puppy", k: 3, method: "minilm").results.count == 3)
}
