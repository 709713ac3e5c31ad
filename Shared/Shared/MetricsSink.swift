import Foundation

/// Where a service records its own metrics: nowhere until the HTTP server's registry is attached (the
/// service is made before its server), then into that registry. Tests without a server record nothing.
public final class MetricsSink: @unchecked Sendable {
    // @unchecked: `metrics` is only read and written under `lock`; Metrics itself is thread-safe.
    private let lock = NSLock()
    private var metrics: Metrics?

    /// Creates a sink with no registry yet.
    public init() {}

    /// Starts recording into `metrics`.
    public func attach(_ metrics: Metrics) {
        lock.withLock { self.metrics = metrics }
    }

    /// The attached registry, or nil before `attach`.
    public var registry: Metrics? {
        lock.withLock { metrics }
    }
}
