import Foundation
import Shared
import Testing

@testable import RecommenderService

private let first = [ImageCaption(id: "a", file: "a.jpg", caption: "a red bicycle against a wall")]
private let second = [
    ImageCaption(id: "b", file: "b.jpg", caption: "a lighthouse on a rocky coast"),
    ImageCaption(id: "c", file: "c.jpg", caption: "a red bicycle in the rain"),
]

private func write(_ images: [ImageCaption], to path: String) throws {
    try ModelBuilder().build(images: images, methods: ["tfidf"], imageBaseURL: nil).write(to: path)
}

/// Replaces the file at `path` by renaming a file with `bytes` over it, as a careless deploy might.
private func replace(_ path: String, with bytes: [UInt8]) throws {
    let temporary = path + ".incoming"
    try Data(bytes).write(to: URL(fileURLWithPath: temporary))
    guard rename(temporary, path) == 0 else { throw ModelFileError(.io, "rename failed") }
}

@Test func reloadSwapsInAGoodNewFile() throws {
    let recommender = try RunningRecommender(model: first)
    try write(second, to: recommender.modelPath)

    let answer = try recommender.client.postJSON("/v1/admin/reload", body: [String: String](), as: ModelAnswer.self)
    #expect(answer.model.images == 2)
    let search = try recommender.client.getJSON("/v1/search", query: ["q": "lighthouse"], as: SearchAnswer.self)
    #expect(search.results.map(\.id) == ["b"])
}

@Test func aCorruptNewFileKeepsTheOldModelServing() throws {
    let recommender = try RunningRecommender(model: first)
    var bytes = try ModelBuilder().build(images: second, methods: ["tfidf"], imageBaseURL: nil).encoded()
    bytes[bytes.count - 3] ^= 0xff
    try replace(recommender.modelPath, with: bytes)

    let error = recommender.failure {
        _ = try recommender.client.postJSON("/v1/admin/reload", body: [String: String](), as: ModelAnswer.self)
    }
    #expect(error?.status == 422 && error?.code == "model_invalid")
    let search = try recommender.client.getJSON("/v1/search", query: ["q": "bicycle"], as: SearchAnswer.self)
    #expect(search.results.map(\.id) == ["a"])

    // A truncated file and a file that is not a model at all are refused the same way.
    try replace(recommender.modelPath, with: Array(bytes.prefix(100)))
    #expect(throws: ModelFileError.self) { try recommender.service.store.reload() }
    try replace(recommender.modelPath, with: Array("{\"pickle\": true}".utf8))
    #expect(throws: ModelFileError.self) { try recommender.service.store.reload() }
    #expect(recommender.service.store.index?.images.count == 1)
}

@Test func pollingPicksUpChangesOnlyOnce() throws {
    let recommender = try RunningRecommender(model: first)
    let store = recommender.service.store
    #expect(try store.reload() == .unchanged)
    try write(second, to: recommender.modelPath)
    #expect(try store.reload() == .loaded)
    #expect(try store.reload() == .unchanged)

    try replace(recommender.modelPath, with: [1, 2, 3])
    #expect(throws: ModelFileError.self) { try store.reload() }
    // A rejected file is not retried until it changes again.
    #expect(try store.reload() == .unchanged)
    #expect(store.index?.images.count == 2)
}

@Test func theWatcherReloadsAReplacedFile() throws {
    let recommender = try RunningRecommender(model: first)
    let watcher = ModelWatcher(store: recommender.service.store, intervalSeconds: 0.05)
    defer { watcher.stop() }
    try write(second, to: recommender.modelPath)

    // Wait for the watcher's next poll; the bound only keeps a broken watcher from hanging the test.
    for _ in 0..<400 where recommender.service.store.index?.images.count != 2 {
        usleep(25_000)
    }
    #expect(recommender.service.store.index?.images.count == 2)
}

@Test func swapsNeverFailRequestsInFlight() async throws {
    let recommender = try RunningRecommender(model: first)
    let store = recommender.service.store
    let path = recommender.modelPath

    let failures = try await withThrowingTaskGroup(of: Int.self) { group in
        for _ in 0..<4 {
            group.addTask {
                var failures = 0
                for _ in 0..<200 {
                    do {
                        let response = try store.index!.search("red bicycle", k: 5)
                        if response.results.isEmpty { failures += 1 }
                    } catch {
                        failures += 1
                    }
                }
                return failures
            }
        }
        group.addTask {
            for round in 0..<30 {
                try write(round.isMultiple(of: 2) ? second : first, to: path)
                try store.reload()
            }
            return 0
        }
        return try await group.reduce(0, +)
    }
    #expect(failures == 0)
}

@Test func aFileThatIsNoModelStopsTheStartAndSaysSo() throws {
    let directory = NSTemporaryDirectory() + "imgrec-start-\(UUID().uuidString)"
    try FileManager.default.createDirectory(atPath: directory, withIntermediateDirectories: true)
    defer { try? FileManager.default.removeItem(atPath: directory) }
    let path = directory + "/passwd"
    try Data("root:x:0:0:root:/root:/bin/bash\n".utf8).write(to: URL(fileURLWithPath: path))

    let log = CapturedLog()
    #expect(throws: ModelFileError.self) {
        _ = try RecommenderService(
            configuration: RecommenderConfiguration(port: 0, modelPath: path), logger: log.logger)
    }
    #expect(log.text.contains("model file rejected; the recommender does not start"))
    #expect(!log.text.contains("previous model"))
    #expect(try String(contentsOfFile: path, encoding: .utf8).hasPrefix("root:x:0:0"))
}

@Test func aBadFileWithNoModelServedDoesNotClaimAPreviousOne() throws {
    let log = CapturedLog()
    let recommender = try RunningRecommender(log: log)
    try replace(recommender.modelPath, with: Array("{\"pickle\": true}".utf8))

    let error = recommender.failure {
        _ = try recommender.client.postJSON("/v1/admin/reload", body: [String: String](), as: ModelAnswer.self)
    }
    #expect(error?.status == 422 && error?.code == "model_invalid")
    #expect(error?.message.hasSuffix("; no model is served") == true)
    #expect(log.text.contains("model file rejected; no model is served until a valid one is loaded"))
    #expect(!log.text.contains("previous model"))

    try write(first, to: recommender.modelPath)
    try recommender.service.store.reload()
    try replace(recommender.modelPath, with: [1, 2, 3])
    #expect(throws: ModelFileError.self) { try recommender.service.store.reload() }
    #expect(log.text.contains("model file rejected; still serving the previous model"))
}
