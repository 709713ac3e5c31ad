import Dispatch
import Shared

/// Polls the model file every few seconds and reloads it when it changes (a new inode, size or mtime).
///
/// `@unchecked Sendable`: the timer is created in `init` and only cancelled afterwards; `DispatchSource`
/// is itself thread-safe.
public final class ModelWatcher: @unchecked Sendable {
    private let timer: DispatchSourceTimer

    /// Starts polling `store`'s file every `intervalSeconds`.
    public init(store: ModelStore, intervalSeconds: Double) {
        timer = DispatchSource.makeTimerSource(queue: DispatchQueue(label: "imgrec.recommender.model-watcher"))
        timer.schedule(deadline: .now() + intervalSeconds, repeating: intervalSeconds, leeway: .milliseconds(100))
        // Failures are logged by the store, which keeps serving the old model.
        timer.setEventHandler { _ = try? store.reload() }
        timer.resume()
    }

    /// Stops polling.
    public func stop() {
        timer.cancel()
    }

    deinit {
        timer.cancel()
    }
}
