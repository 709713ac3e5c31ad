import Foundation

/// Runs work for one key at a time: a second caller with the same key waits until the first is done, so
/// two simultaneous requests for the same image make one engine call and one cache hit.
final class KeyedExclusion: @unchecked Sendable {
    // @unchecked: `busy` is only touched while `condition` is locked.
    private let condition = NSCondition()
    private var busy: Set<String> = []

    /// Runs `body` while no other call for `key` runs.
    func run<T>(_ key: String, _ body: () throws -> T) rethrows -> T {
        condition.withLock {
            while busy.contains(key) {
                condition.wait()
            }
            busy.insert(key)
        }
        defer {
            condition.withLock {
                busy.remove(key)
                condition.broadcast()
            }
        }
        return try body()
    }
}
