import Foundation

/// A response a handler returns: status, headers and the whole body.
public struct HTTPResponse: Sendable {
    /// The HTTP status code.
    public var status: Int
    /// Response headers, such as `Content-Type`.
    public var headers: [String: String]
    /// The body.
    public var body: [UInt8]

    /// Creates a response from its parts.
    public init(status: Int, headers: [String: String] = [:], body: [UInt8] = []) {
        self.status = status
        self.headers = headers
        self.body = body
    }

    /// A JSON response. Property names are written as they are: give types explicit `CodingKeys` for
    /// snake_case names. Keys are sorted so that the same value always encodes the same way.
    public static func json<T: Encodable>(_ value: T, status: Int = 200) -> HTTPResponse {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys, .withoutEscapingSlashes]
        guard let data = try? encoder.encode(value) else {
            return error(.internalError("the response could not be encoded"))
        }
        return bytes(Array(data), contentType: "application/json", status: status)
    }

    /// An HTML page.
    public static func html(_ text: String, status: Int = 200) -> HTTPResponse {
        self.text(text, status: status, contentType: "text/html; charset=utf-8")
    }

    /// A text response.
    public static func text(
        _ text: String, status: Int = 200, contentType: String = "text/plain; charset=utf-8"
    ) -> HTTPResponse {
        bytes(Array(text.utf8), contentType: contentType, status: status)
    }

    /// A response with raw bytes, such as an image.
    public static func bytes(_ body: [UInt8], contentType: String, status: Int = 200) -> HTTPResponse {
        HTTPResponse(status: status, headers: ["Content-Type": contentType], body: body)
    }

    /// The JSON error document `{"error": {"code": ..., "message": ...}}` with the error's status.
    public static func error(_ error: ServiceError) -> HTTPResponse {
        let document = ErrorDocument(error: .init(code: error.code, message: error.message))
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys, .withoutEscapingSlashes]
        let data = (try? encoder.encode(document)) ?? Data(#"{"error":{"code":"internal","message":""}}"#.utf8)
        return bytes(Array(data), contentType: "application/json", status: error.status)
    }
}

/// The wire form of an error, shared by the server (writing) and the client (reading).
struct ErrorDocument: Codable {
    struct Detail: Codable {
        var code: String
        var message: String
    }

    var error: Detail
}
