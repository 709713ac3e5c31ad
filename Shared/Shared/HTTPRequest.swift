import Foundation

/// One HTTP request as a handler sees it, with its body fully read.
public struct HTTPRequest: Sendable {
    /// The method, upper case: `GET`, `POST`, ...
    public var method: String
    /// The decoded path without the query, such as `/v1/images/abc`.
    public var path: String
    /// Query parameters, percent-decoded with `+` as a space; a repeated name keeps one value.
    public var query: [String: String]
    /// Values of the route pattern's `{name}` segments.
    public var pathParameters: [String: String]
    /// Request headers; names are lower case.
    public var headers: [String: String]
    /// The request body.
    public var body: [UInt8]
    /// The request id: the client's `X-Request-Id` when it is sane, else a generated one.
    public var requestID: String

    /// Creates a request; the server builds these, tests may too.
    public init(
        method: String, path: String, query: [String: String] = [:], pathParameters: [String: String] = [:],
        headers: [String: String] = [:], body: [UInt8] = [], requestID: String = ""
    ) {
        self.method = method
        self.path = path
        self.query = query
        self.pathParameters = pathParameters
        self.headers = headers
        self.body = body
        self.requestID = requestID
    }

    /// Decodes the body as JSON. Keys are taken as they are (no snake_case conversion).
    /// - Throws: `ServiceError` 400 `malformed_json` saying what is wrong with the body.
    public func decodeJSON<T: Decodable>(_ type: T.Type) throws -> T {
        guard !body.isEmpty else {
            throw ServiceError.badRequest("malformed_json", "the request body is empty; a JSON document is expected")
        }
        do {
            return try JSONDecoder().decode(type, from: Data(body))
        } catch let error as DecodingError {
            if case .dataCorrupted(let context) = error, context.codingPath.isEmpty,
                (try? JSONSerialization.jsonObject(with: Data(body), options: [.fragmentsAllowed])) != nil
            {
                // Foundation reports a number that does not fit its field (-1 for an unsigned count, 5.5 for an
                // integer) as invalid data without naming the field.
                throw ServiceError.badRequest(
                    "malformed_json",
                    "the request body is valid JSON, but a number does not fit its field "
                        + "(a negative, fractional or too large value where a whole number is expected)")
            }
            throw ServiceError.badRequest("malformed_json", "the request body is not valid: \(error.summary)")
        } catch {
            throw ServiceError.badRequest("malformed_json", "the request body is not valid JSON")
        }
    }

    /// The query parameter `name` as an integer in `range`, or `default` when it is absent or empty.
    /// - Throws: `ServiceError` 400 `invalid_parameter` when it is not an integer or lies outside `range`.
    public func queryInt(_ name: String, default: Int, range: ClosedRange<Int>) throws -> Int {
        guard let text = query[name], !text.isEmpty else {
            return `default`
        }
        guard let value = Int(text) else {
            throw ServiceError.badRequest("invalid_parameter", "query parameter '\(name)' must be an integer")
        }
        guard range.contains(value) else {
            throw ServiceError.badRequest(
                "invalid_parameter",
                "query parameter '\(name)' must be between \(range.lowerBound) and \(range.upperBound)")
        }
        return value
    }
}

extension DecodingError {
    /// A one-line account of what did not decode, naming the JSON path but no Swift types.
    var summary: String {
        func path(_ codingPath: [any CodingKey]) -> String {
            let names = codingPath.map { $0.intValue.map { "[\($0)]" } ?? $0.stringValue }
            return names.isEmpty ? "the document" : "'\(names.joined(separator: "."))'"
        }
        switch self {
        case .keyNotFound(let key, let context):
            return "missing field '\((context.codingPath + [key]).map(\.stringValue).joined(separator: "."))'"
        case .typeMismatch(_, let context), .valueNotFound(_, let context):
            return "wrong type or null at \(path(context.codingPath))"
        case .dataCorrupted(let context):
            return context.codingPath.isEmpty ? "not valid JSON" : "invalid value at \(path(context.codingPath))"
        @unknown default:
            return "not valid JSON"
        }
    }
}
