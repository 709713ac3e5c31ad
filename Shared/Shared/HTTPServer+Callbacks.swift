import CMicroHTTPD
import Foundation

// libmicrohttpd's callbacks. They capture nothing: the server arrives as the `cls` pointer and each
// request's state as the `con_cls` pointer.

/// What the server keeps about one request between the access handler's calls.
final class RequestState {
    let started = Date()
    var body: [UInt8] = []
    var tooLarge = false
    var answered = false
}

/// Collects a connection's header or query values through `MHD_get_connection_values`.
private final class ValueCollector {
    var values: [String: String] = [:]
    let lowercaseNames: Bool

    init(lowercaseNames: Bool) {
        self.lowercaseNames = lowercaseNames
    }
}

private func collectValue(
    _ context: UnsafeMutableRawPointer?, _ kind: MHD_ValueKind, _ key: UnsafePointer<CChar>?,
    _ value: UnsafePointer<CChar>?
) -> MHD_Result {
    guard let context, let key else {
        return .YES
    }
    let collector = Unmanaged<ValueCollector>.fromOpaque(context).takeUnretainedValue()
    let name = String(cString: key)
    let text = value.map { String(cString: $0) } ?? ""
    let finalName = collector.lowercaseNames ? name.lowercased() : name
    if let existing = collector.values[finalName], collector.lowercaseNames {
        collector.values[finalName] = existing + ", " + text
    } else {
        collector.values[finalName] = text
    }
    return .YES
}

private func connectionValues(_ connection: OpaquePointer, _ kind: MHD_ValueKind, lowercase: Bool) -> [String: String] {
    let collector = ValueCollector(lowercaseNames: lowercase)
    withExtendedLifetime(collector) {
        _ = MHD_get_connection_values(
            connection, kind, collectValue, Unmanaged.passUnretained(collector).toOpaque())
    }
    return collector.values
}

/// Sends `response` on `connection`; MHD copies the body.
private func queue(_ response: HTTPResponse, on connection: OpaquePointer) -> MHD_Result {
    let created = response.body.withUnsafeBytes { buffer in
        MHD_create_response_from_buffer(
            buffer.count, UnsafeMutableRawPointer(mutating: buffer.baseAddress), .RESPMEM_MUST_COPY)
    }
    guard let created else {
        return .NO
    }
    for (name, value) in response.headers {
        _ = MHD_add_response_header(created, name, value)
    }
    let result = MHD_queue_response(connection, UInt32(response.status), created)
    MHD_destroy_response(created)
    return result
}

/// The access handler. MHD calls it once when the headers are in, once per chunk of body, and once more
/// when the request is complete; the response is queued only on that last call, because queuing on the
/// first call makes MHD close the connection instead of keeping it alive.
func mhdAccessHandler(
    _ cls: UnsafeMutableRawPointer?, _ connection: OpaquePointer?, _ url: UnsafePointer<CChar>?,
    _ method: UnsafePointer<CChar>?, _ version: UnsafePointer<CChar>?, _ uploadData: UnsafePointer<CChar>?,
    _ uploadDataSize: UnsafeMutablePointer<Int>?, _ requestContext: UnsafeMutablePointer<UnsafeMutableRawPointer?>?
) -> MHD_Result {
    guard let cls, let connection, let url, let method, let uploadDataSize, let requestContext else {
        return .NO
    }
    let server = Unmanaged<HTTPServer>.fromOpaque(cls).takeUnretainedValue()
    guard let stored = requestContext.pointee else {
        return begin(server, connection, requestContext, method: String(cString: method), path: String(cString: url))
    }
    let state = Unmanaged<RequestState>.fromOpaque(stored).takeUnretainedValue()
    if uploadDataSize.pointee > 0 {
        let count = uploadDataSize.pointee
        if !state.tooLarge, state.body.count + count <= server.configuration.maxBodyBytes, let uploadData {
            uploadData.withMemoryRebound(to: UInt8.self, capacity: count) { bytes in
                state.body.append(contentsOf: UnsafeBufferPointer(start: bytes, count: count))
            }
        } else {
            // Over the limit: read and drop the rest so the connection stays usable, keep nothing.
            state.tooLarge = true
            state.body = []
        }
        uploadDataSize.pointee = 0
        return .YES
    }
    guard !state.answered else {
        return .YES
    }
    state.answered = true
    let headers = connectionValues(connection, .HEADER_KIND, lowercase: true)
    let request = HTTPRequest(
        method: String(cString: method), path: String(cString: url),
        query: connectionValues(connection, .GET_ARGUMENT_KIND, lowercase: false), headers: headers,
        body: state.body, requestID: HTTPServer.requestID(from: headers["x-request-id"]))
    state.body = []
    if state.tooLarge {
        return queue(server.tooLargeResponse(for: request, started: state.started), on: connection)
    }
    return queue(server.respond(to: request, started: state.started), on: connection)
}

/// The first call for a request: set up its state. A body announced as over the limit with
/// `Expect: 100-continue` is refused at once, before the client sends it.
private func begin(
    _ server: HTTPServer, _ connection: OpaquePointer,
    _ requestContext: UnsafeMutablePointer<UnsafeMutableRawPointer?>, method: String, path: String
) -> MHD_Result {
    let state = RequestState()
    requestContext.pointee = Unmanaged.passRetained(state).toOpaque()
    server.requestStarted()
    let limit = server.configuration.maxBodyBytes
    guard let length = MHD_lookup_connection_value(connection, .HEADER_KIND, "Content-Length"),
        let declared = Int(String(cString: length)), declared > limit
    else {
        return .YES
    }
    state.tooLarge = true
    guard let expect = MHD_lookup_connection_value(connection, .HEADER_KIND, "Expect"),
        String(cString: expect).lowercased() == "100-continue"
    else {
        return .YES
    }
    state.answered = true
    let headers = connectionValues(connection, .HEADER_KIND, lowercase: true)
    let request = HTTPRequest(
        method: method, path: path, headers: headers, requestID: HTTPServer.requestID(from: headers["x-request-id"]))
    return queue(server.tooLargeResponse(for: request, started: state.started), on: connection)
}

/// Called by MHD when a request is over (answered, failed or timed out): frees its state.
func mhdRequestCompleted(
    _ cls: UnsafeMutableRawPointer?, _ connection: OpaquePointer?,
    _ requestContext: UnsafeMutablePointer<UnsafeMutableRawPointer?>?, _ reason: MHD_RequestTerminationCode
) {
    guard let cls, let requestContext, let stored = requestContext.pointee else {
        return
    }
    Unmanaged<RequestState>.fromOpaque(stored).release()
    requestContext.pointee = nil
    Unmanaged<HTTPServer>.fromOpaque(cls).takeUnretainedValue().requestFinished()
}

extension HTTPServer {
    /// The 413 answer for a body over `maxBodyBytes`.
    func tooLargeResponse(for request: HTTPRequest, started: Date) -> HTTPResponse {
        var response = HTTPResponse.error(
            .payloadTooLarge("the request body is larger than \(configuration.maxBodyBytes) bytes"))
        // Counted under the route the request was for, as any other answer to it is.
        let route: String
        switch lookup(method: request.method, path: request.path) {
        case .found(_, let pattern, _), .methodNotAllowed(let pattern, _): route = pattern
        case .notFound: route = Self.unmatchedRoute
        }
        finish(&response, request: request, route: route, started: started)
        return response
    }
}
