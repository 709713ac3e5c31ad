import Foundation
import Shared

/// Holds the model being served and replaces it atomically with a newer file.
///
/// A search takes the current `SearchIndex` reference and works on that immutable object; a reload builds a
/// complete new index first and only then swaps the reference, so no request ever sees a half-loaded model
/// and requests in flight finish on the old one (whose mapping lives as long as they hold it).
/// `@unchecked Sendable`: `current`, `loadedIdentity` and `rejectedIdentity` are only touched under `lock`;
/// `reloadLock` serialises reloads and builds.
public final class ModelStore: @unchecked Sendable {
    /// What a reload did.
    public enum Outcome: Sendable, Equatable {
        /// A new model is now served.
        case loaded
        /// The file has not changed since it was last loaded or rejected.
        case unchanged
        /// There is no file at the path.
        case missing
    }

    /// The path of the model file.
    public let path: String
    private let catalog: SearchMethodCatalog
    private let logger: Logger
    private let lock = NSLock()
    private let reloadLock = NSLock()
    private var current: SearchIndex?
    private var loadedIdentity: FileIdentity?
    private var rejectedIdentity: FileIdentity?
    private var onSwap: @Sendable (SearchIndex) -> Void = { _ in }

    /// Creates an empty store for the file at `path`; call `reload(force:)` to load it.
    public init(path: String, catalog: SearchMethodCatalog, logger: Logger) {
        self.path = path
        self.catalog = catalog
        self.logger = logger
    }

    /// The model being served, if any.
    public var index: SearchIndex? {
        lock.withLock { current }
    }

    /// Registers a callback run after each swap (for metrics).
    public func observeSwaps(_ callback: @escaping @Sendable (SearchIndex) -> Void) {
        lock.withLock { onSwap = callback }
    }

    /// Loads the file if it differs from the one served (or always, with `force`) and swaps it in.
    ///
    /// A file that fails verification is not served; the old model, if any, stays. Without `force`, a
    /// rejected file is not tried again until it changes.
    /// - Throws: `ModelFileError` or `RecommenderError` when the new file cannot be loaded.
    @discardableResult
    public func reload(force: Bool = false) throws -> Outcome {
        try reloadLock.withLock { try reloadHoldingLock(force: force) }
    }

    /// The first load, at start-up: a missing file is fine (`.missing`), a file that fails verification is
    /// logged as stopping the start and thrown, so the process exits instead of serving nothing in its place.
    public func loadAtStart() throws -> Outcome {
        try reloadLock.withLock { try reloadHoldingLock(force: true, startingUp: true) }
    }

    /// Writes `writer` atomically to the model path and serves the result, with no reload in between.
    /// - Returns: the newly served model.
    public func install(_ writer: ModelFileWriter) throws -> SearchIndex {
        try reloadLock.withLock {
            try writer.write(to: path)
            guard try reloadHoldingLock(force: true) == .loaded, let index = lock.withLock({ current }) else {
                throw ModelFileError(.io, "the model file vanished right after it was written")
            }
            return index
        }
    }

    private func reloadHoldingLock(force: Bool, startingUp: Bool = false) throws -> Outcome {
        guard let identity = FileIdentity(path: path) else { return .missing }
        let (loaded, rejected) = lock.withLock { (loadedIdentity, rejectedIdentity) }
        if !force && (identity == loaded || identity == rejected) { return .unchanged }

        let index: SearchIndex
        do {
            index = try SearchIndex(path: path, catalog: catalog)
        } catch {
            let serving = lock.withLock {
                rejectedIdentity = identity
                return current != nil
            }
            let consequence =
                startingUp
                ? "the recommender does not start; point --model at a valid model file, or at a path with no file yet"
                : serving ? "still serving the previous model" : "no model is served until a valid one is loaded"
            logger.error("model file rejected; \(consequence)", ["path": path, "error": "\(error)"])
            throw error
        }
        let callback = lock.withLock {
            current = index
            loadedIdentity = identity
            rejectedIdentity = nil
            return onSwap
        }
        callback(index)
        logger.info(
            "model loaded",
            [
                "path": path, "methods": index.methodNames.joined(separator: ","), "images": "\(index.images.count)",
                "sha256": index.file.headerSHA256,
            ])
        return .loaded
    }
}

/// What identifies one version of a file on disk: device, inode, size and modification time.
struct FileIdentity: Equatable, Sendable {
    let device: UInt64
    let inode: UInt64
    let size: Int64
    let modifiedSeconds: Int
    let modifiedNanoseconds: Int

    /// The identity of the file at `path`, or nil when there is none.
    init?(path: String) {
        var status = stat()
        guard stat(path, &status) == 0 else { return nil }
        device = UInt64(status.st_dev)
        inode = UInt64(status.st_ino)
        size = Int64(status.st_size)
        modifiedSeconds = Int(status.st_mtim.tv_sec)
        modifiedNanoseconds = Int(status.st_mtim.tv_nsec)
    }
}
