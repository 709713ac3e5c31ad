import Foundation

/// Counters, gauges and histograms rendered in the Prometheus text format for `GET /metrics`.
///
/// `@unchecked Sendable`: every family is read and written only while `lock` is held.
public final class Metrics: @unchecked Sendable {
    /// Upper bounds, in seconds, of the request-duration histogram buckets.
    public static let durationBuckets: [Double] = [0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30]

    private enum Kind: String {
        case counter, gauge, histogram
    }

    private struct Histogram {
        var bucketCounts: [UInt64]
        var count: UInt64 = 0
        var sum: Double = 0
    }

    private struct Family {
        let kind: Kind
        let help: String
        var values: [String: Double] = [:]  // rendered label set -> value
        var histograms: [String: Histogram] = [:]  // rendered label set -> histogram
        var bounds: [Double] = []
    }

    private let lock = NSLock()
    private var families: [String: Family] = [:]

    /// Creates an empty registry.
    public init() {}

    /// Adds `value` to the counter `name` with `labels`, creating it at zero first.
    public func increment(_ name: String, help: String, labels: [String: String] = [:], by value: Double = 1) {
        let key = Self.render(labels)
        lock.withLock {
            var family = families[name] ?? Family(kind: .counter, help: help)
            family.values[key, default: 0] += value
            families[name] = family
        }
    }

    /// Sets the gauge `name` with `labels` to `value`.
    public func setGauge(_ name: String, help: String, labels: [String: String] = [:], to value: Double) {
        let key = Self.render(labels)
        lock.withLock {
            var family = families[name] ?? Family(kind: .gauge, help: help)
            family.values[key] = value
            families[name] = family
        }
    }

    /// Records one observation of `value` in the histogram `name` with `labels`.
    public func observe(
        _ name: String, help: String, labels: [String: String] = [:], value: Double,
        buckets: [Double] = Metrics.durationBuckets
    ) {
        let key = Self.render(labels)
        lock.withLock {
            var family = families[name] ?? Family(kind: .histogram, help: help, bounds: buckets)
            var histogram =
                family.histograms[key] ?? Histogram(bucketCounts: Array(repeating: 0, count: family.bounds.count))
            for (index, bound) in family.bounds.enumerated() where value <= bound {
                histogram.bucketCounts[index] += 1
            }
            histogram.count += 1
            histogram.sum += value
            family.histograms[key] = histogram
            families[name] = family
        }
    }

    /// The value of a counter or gauge, or nil when it was never set.
    public func value(_ name: String, labels: [String: String] = [:]) -> Double? {
        lock.withLock { families[name]?.values[Self.render(labels)] }
    }

    /// Every metric in the Prometheus text exposition format (version 0.0.4), families sorted by name.
    public func prometheusText() -> String {
        let snapshot = lock.withLock { families }
        var out = ""
        for name in snapshot.keys.sorted() {
            guard let family = snapshot[name] else {
                continue
            }
            out += "# HELP \(name) \(family.help.replacingOccurrences(of: "\n", with: " "))\n"
            out += "# TYPE \(name) \(family.kind.rawValue)\n"
            for labels in family.values.keys.sorted() {
                out += "\(name)\(labels) \(Self.format(family.values[labels] ?? 0))\n"
            }
            for labels in family.histograms.keys.sorted() {
                guard let histogram = family.histograms[labels] else {
                    continue
                }
                for (index, bound) in family.bounds.enumerated() {
                    let bucketLabels = Self.adding("le", Self.format(bound), to: labels)
                    out += "\(name)_bucket\(bucketLabels) \(histogram.bucketCounts[index])\n"
                }
                out += "\(name)_bucket\(Self.adding("le", "+Inf", to: labels)) \(histogram.count)\n"
                out += "\(name)_sum\(labels) \(Self.format(histogram.sum))\n"
                out += "\(name)_count\(labels) \(histogram.count)\n"
            }
        }
        return out
    }

    /// `{a="1",b="2"}` with names sorted and values escaped, or an empty string for no labels.
    static func render(_ labels: [String: String]) -> String {
        guard !labels.isEmpty else {
            return ""
        }
        let pairs = labels.keys.sorted().map { "\($0)=\"\(escape(labels[$0] ?? ""))\"" }
        return "{\(pairs.joined(separator: ","))}"
    }

    private static func adding(_ name: String, _ value: String, to rendered: String) -> String {
        let pair = "\(name)=\"\(value)\""
        return rendered.isEmpty ? "{\(pair)}" : "\(rendered.dropLast()),\(pair)}"
    }

    private static func escape(_ value: String) -> String {
        value.replacingOccurrences(of: "\\", with: "\\\\")
            .replacingOccurrences(of: "\"", with: "\\\"")
            .replacingOccurrences(of: "\n", with: "\\n")
    }

    private static func format(_ value: Double) -> String {
        if value == value.rounded(), abs(value) < 1e15 {
            return String(Int64(value))
        }
        return String(value)
    }
}
