import Foundation

/// Command-line flags (`--name value`, `--name=value`, bare `--name`) with environment-variable fallbacks.
///
/// A flag followed by a word that does not start with `--` takes that word as its value, unless the flag is
/// named in `switches`; `--` ends the flags and everything after it is positional.
public struct CommandLineOptions: Sendable {
    private var values: [String: String] = [:]
    private var present: Set<String> = []
    private let environment: [String: String]
    /// The arguments that are not flags or flag values, in order.
    public private(set) var positional: [String] = []

    /// Parses `arguments` (without the program name).
    /// - Parameter switches: flags that never take a value, so that `--verbose photo.jpg` keeps the file
    ///   positional.
    public init(
        arguments: [String] = Array(CommandLine.arguments.dropFirst()),
        environment: [String: String] = ProcessInfo.processInfo.environment,
        switches: Set<String> = []
    ) {
        self.environment = environment
        var index = 0
        while index < arguments.count {
            let argument = arguments[index]
            index += 1
            if argument == "--" {
                positional.append(contentsOf: arguments[index...])
                break
            }
            guard argument.hasPrefix("--"), argument.count > 2 else {
                positional.append(argument)
                continue
            }
            let body = argument.dropFirst(2)
            if let equals = body.firstIndex(of: "=") {
                let name = String(body[..<equals])
                present.insert(name)
                values[name] = String(body[body.index(after: equals)...])
                continue
            }
            let name = String(body)
            present.insert(name)
            if !switches.contains(name), index < arguments.count, !arguments[index].hasPrefix("--") {
                values[name] = arguments[index]
                index += 1
            }
        }
    }

    /// The flag's value, else the environment variable's, else `default`.
    /// - Parameter flag: the flag name, with or without the leading `--`.
    public func string(_ flag: String, env: String? = nil, default: String? = nil) -> String? {
        lookup(flag, env: env)?.value ?? `default`
    }

    /// The flag's (or environment variable's) value as an integer in `range`, else `default`.
    /// - Throws: `ConfigurationError` when the value is not an integer or lies outside `range`.
    public func int(_ flag: String, env: String? = nil, default: Int, range: ClosedRange<Int>) throws -> Int {
        guard let (value, source) = lookup(flag, env: env) else {
            return `default`
        }
        guard let number = Int(value.trimmingCharacters(in: .whitespaces)) else {
            throw ConfigurationError(message: "\(source) must be an integer, got '\(value)'")
        }
        guard range.contains(number) else {
            throw ConfigurationError(
                message: "\(source) must be between \(range.lowerBound) and \(range.upperBound), got \(number)")
        }
        return number
    }

    /// The flag's (or environment variable's) value as a number in `range`, else `default`.
    /// - Throws: `ConfigurationError` when the value is not a number or lies outside `range`.
    public func double(
        _ flag: String, env: String? = nil, default: Double, range: ClosedRange<Double>
    ) throws -> Double {
        guard let (value, source) = lookup(flag, env: env) else {
            return `default`
        }
        guard let number = Double(value.trimmingCharacters(in: .whitespaces)), number.isFinite else {
            throw ConfigurationError(message: "\(source) must be a number, got '\(value)'")
        }
        guard range.contains(number) else {
            throw ConfigurationError(
                message: "\(source) must be between \(range.lowerBound) and \(range.upperBound), got \(number)")
        }
        return number
    }

    /// Checks the flags given against the ones a command reads, so that a typo or a forgotten value stops
    /// the command instead of being ignored.
    /// - Parameters:
    ///   - flags: the flags that take a value.
    ///   - switches: the flags that take none.
    /// - Throws: `ConfigurationError` for the first flag that is neither, or that needs a value and has none.
    public func validate(flags: [String], switches: [String] = []) throws {
        let valued = Set(flags.map(Self.normalized))
        let bare = Set(switches.map(Self.normalized))
        for name in present.sorted() {
            if bare.contains(name) {
                continue
            }
            guard valued.contains(name) else {
                let known = (valued.union(bare)).sorted().map { "--\($0)" }.joined(separator: ", ")
                throw ConfigurationError(message: "unknown flag --\(name); known flags: \(known)")
            }
            guard let value = values[name], !value.isEmpty else {
                throw ConfigurationError(message: "--\(name) needs a value")
            }
        }
    }

    /// Whether `--name` was given, with or without a value.
    public func flag(_ name: String) -> Bool {
        present.contains(Self.normalized(name))
    }

    /// The raw value and a description of where it came from, for error messages.
    private func lookup(_ flag: String, env: String?) -> (value: String, source: String)? {
        let name = Self.normalized(flag)
        if let value = values[name] {
            return (value, "--\(name)")
        }
        if let env, let value = environment[env], !value.isEmpty {
            return (value, "\(env) (environment)")
        }
        return nil
    }

    private static func normalized(_ flag: String) -> String {
        String(flag.drop(while: { $0 == "-" }))
    }
}
