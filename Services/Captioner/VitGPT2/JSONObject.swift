import Foundation

/// A JSON value, decoded without a schema so that configuration files of several shapes can be read.
enum JSONValue: Decodable {
    case null, bool(Bool), number(Double), string(String), array([JSONValue]), object([String: JSONValue])

    init(from decoder: Decoder) throws {
        let container = try decoder.singleValueContainer()
        if container.decodeNil() {
            self = .null
        } else if let value = try? container.decode(Bool.self) {
            self = .bool(value)
        } else if let value = try? container.decode(Double.self) {
            self = .number(value)
        } else if let value = try? container.decode(String.self) {
            self = .string(value)
        } else if let value = try? container.decode([JSONValue].self) {
            self = .array(value)
        } else {
            self = .object(try container.decode([String: JSONValue].self))
        }
    }
}

/// A parsed JSON object from one of the model folder's files, with typed accessors whose errors name the file
/// and the key.
struct JSONObject {
    /// The file the object came from, for messages.
    let file: String
    /// The object's members.
    let members: [String: JSONValue]

    /// Reads and parses `url`, which must hold a JSON object.
    init(contentsOf url: URL) throws {
        guard FileManager.default.fileExists(atPath: url.path) else {
            throw VitGPT2Error(.missingFile, "\(url.path): file not found")
        }
        let data: Data
        do {
            data = try Data(contentsOf: url)
        } catch {
            throw VitGPT2Error(.malformedFile, "\(url.path): cannot read: \(error.localizedDescription)")
        }
        guard case .object(let members)? = try? JSONDecoder().decode(JSONValue.self, from: data) else {
            throw VitGPT2Error(.malformedFile, "\(url.path): not a JSON object")
        }
        self.init(file: url.path, members: members)
    }

    /// Wraps members already parsed from `file`.
    init(file: String, members: [String: JSONValue]) {
        self.file = file
        self.members = members
    }

    /// The nested object under `key`.
    func object(_ key: String) throws -> JSONObject {
        guard case .object(let nested)? = members[key] else {
            throw VitGPT2Error(.malformedFile, "\(file): '\(key)' must be an object")
        }
        return JSONObject(file: file, members: nested)
    }

    /// An integer member; `fallback` when absent or null, an error when present with another type.
    func int(_ key: String, default fallback: Int? = nil) throws -> Int {
        switch members[key] {
        case .number(let value)? where value == value.rounded() && abs(value) < 1e15:
            return Int(value)
        case nil, .null?:
            if let fallback { return fallback }
            throw VitGPT2Error(.malformedFile, "\(file): missing integer '\(key)'")
        default:
            throw VitGPT2Error(.malformedFile, "\(file): '\(key)' must be an integer")
        }
    }

    /// An optional integer member, or the first element when the member is a list (`eos_token_id` may be one).
    func optionalInt(_ key: String) throws -> Int? {
        switch members[key] {
        case nil, .null?: return nil
        case .array(let list)?:
            guard case .number(let first)? = list.first else { return nil }
            return Int(first)
        default: return try int(key)
        }
    }

    /// A number member; `fallback` when absent or null.
    func double(_ key: String, default fallback: Double? = nil) throws -> Double {
        switch members[key] {
        case .number(let value)?:
            return value
        case nil, .null?:
            if let fallback { return fallback }
            throw VitGPT2Error(.malformedFile, "\(file): missing number '\(key)'")
        default:
            throw VitGPT2Error(.malformedFile, "\(file): '\(key)' must be a number")
        }
    }

    /// A Boolean member; `fallback` when absent or null.
    func bool(_ key: String, default fallback: Bool) throws -> Bool {
        switch members[key] {
        case .bool(let value)?: return value
        case nil, .null?: return fallback
        default: throw VitGPT2Error(.malformedFile, "\(file): '\(key)' must be true or false")
        }
    }

    /// A string member; `fallback` when absent or null.
    func string(_ key: String, default fallback: String? = nil) throws -> String {
        switch members[key] {
        case .string(let text)?: return text
        case nil, .null?:
            if let fallback { return fallback }
            throw VitGPT2Error(.malformedFile, "\(file): missing string '\(key)'")
        default:
            throw VitGPT2Error(.malformedFile, "\(file): '\(key)' must be a string")
        }
    }

    /// A list of numbers; `fallback` when absent. A single number counts as a list of one.
    func doubles(_ key: String, default fallback: [Double]) throws -> [Double] {
        switch members[key] {
        case .number(let value)?: return [value]
        case nil, .null?: return fallback
        case .array(let list)?:
            return try list.map { element in
                guard case .number(let value) = element else {
                    throw VitGPT2Error(.malformedFile, "\(file): '\(key)' must be a list of numbers")
                }
                return value
            }
        default: throw VitGPT2Error(.malformedFile, "\(file): '\(key)' must be a list of numbers")
        }
    }

    /// Whether the member is present and not null.
    func has(_ key: String) -> Bool {
        switch members[key] {
        case nil, .null?: return false
        default: return true
        }
    }
}
