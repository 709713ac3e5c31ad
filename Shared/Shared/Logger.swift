import Foundation

/// A small structured logger. Each entry is one line on standard error: JSON when standard error is not a
/// terminal (for log collectors), readable text when it is. Data goes in `metadata`, not in the message.
public struct Logger: Sendable {
    /// How important an entry is; entries below the logger's level are dropped.
    public enum Level: String, Sendable, Comparable, CaseIterable {
        case debug, info, warning, error

        private var rank: Int {
            switch self {
            case .debug: 0
            case .info: 1
            case .warning: 2
            case .error: 3
            }
        }

        /// Orders levels from `debug` to `error`.
        public static func < (lhs: Level, rhs: Level) -> Bool {
            lhs.rank < rhs.rank
        }
    }

    /// Where formatted lines go. The default writes them to standard error.
    public typealias Sink = @Sendable (String) -> Void

    /// The name of the component that logs, such as the service name.
    public let label: String
    /// The lowest level that is written.
    public var level: Level
    private let sink: Sink
    private let json: Bool

    /// Creates a logger writing to standard error, as JSON lines unless standard error is a terminal.
    public init(label: String, level: Level = .info) {
        self.label = label
        self.level = level
        self.sink = LogOutput.writeToStandardError
        self.json = isatty(STDERR_FILENO) == 0
    }

    /// Creates a logger that hands each formatted line (without the newline) to `sink`; for tests.
    public init(label: String, level: Level = .info, json: Bool = true, sink: @escaping Sink) {
        self.label = label
        self.level = level
        self.sink = sink
        self.json = json
    }

    /// Logs detail that is only useful while investigating.
    public func debug(_ message: String, _ metadata: [String: String] = [:]) {
        log(.debug, message, metadata)
    }

    /// Logs a normal event, such as a service starting.
    public func info(_ message: String, _ metadata: [String: String] = [:]) {
        log(.info, message, metadata)
    }

    /// Logs something unexpected that the program recovered from.
    public func warning(_ message: String, _ metadata: [String: String] = [:]) {
        log(.warning, message, metadata)
    }

    /// Logs a failure.
    public func error(_ message: String, _ metadata: [String: String] = [:]) {
        log(.error, message, metadata)
    }

    /// Logs `message` at `level` when the logger's level lets it through.
    public func log(_ level: Level, _ message: String, _ metadata: [String: String] = [:]) {
        guard level >= self.level else {
            return
        }
        let timestamp = Date().formatted(.iso8601)
        sink(
            json
                ? LogOutput.jsonLine(timestamp, level, label, message, metadata)
                : LogOutput.textLine(timestamp, level, label, message, metadata))
    }
}

/// Formatting and writing of log lines.
enum LogOutput {
    static func jsonLine(
        _ timestamp: String, _ level: Logger.Level, _ label: String, _ message: String, _ metadata: [String: String]
    ) -> String {
        var fields = [("ts", timestamp), ("level", level.rawValue), ("label", label), ("message", message)]
        for key in metadata.keys.sorted() {
            fields.append((key, metadata[key] ?? ""))
        }
        let body = fields.map { "\(quoted($0.0)):\(quoted($0.1))" }.joined(separator: ",")
        return "{\(body)}"
    }

    static func textLine(
        _ timestamp: String, _ level: Logger.Level, _ label: String, _ message: String, _ metadata: [String: String]
    ) -> String {
        let pairs = metadata.keys.sorted().map { "\($0)=\(metadata[$0] ?? "")" }.joined(separator: " ")
        let tag = level.rawValue.uppercased()
        let line = "\(timestamp) \(tag) [\(label)] \(message)"
        return pairs.isEmpty ? line : "\(line) \(pairs)"
    }

    /// A JSON string literal for `text`.
    static func quoted(_ text: String) -> String {
        var out = "\""
        for scalar in text.unicodeScalars {
            switch scalar {
            case "\"": out += "\\\""
            case "\\": out += "\\\\"
            case "\n": out += "\\n"
            case "\r": out += "\\r"
            case "\t": out += "\\t"
            case let c where c.value < 0x20:
                out += String(format: "\\u%04x", c.value)
            default:
                out.unicodeScalars.append(scalar)
            }
        }
        return out + "\""
    }

    /// Writes the line with one `write` call so that lines from different threads do not interleave.
    @Sendable static func writeToStandardError(_ line: String) {
        var bytes = Array(line.utf8)
        bytes.append(0x0a)
        bytes.withUnsafeBytes { buffer in
            var offset = 0
            while offset < buffer.count {
                let written = write(STDERR_FILENO, buffer.baseAddress! + offset, buffer.count - offset)
                if written <= 0 {
                    return
                }
                offset += written
            }
        }
    }
}
