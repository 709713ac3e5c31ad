import Foundation

@testable import Shared

/// A server on a free port with a client pointed at it, for tests.
struct TestServer {
    let server: HTTPServer
    let client: HTTPClient
    let lines: LogLines

    init(
        maxBodyBytes: Int = 1 << 20, threads: Int = 4, retries: Int = 0,
        health: @escaping @Sendable () -> [String: String] = { [:] },
        routes: (Router) -> Void
    ) throws {
        let router = Router()
        routes(router)
        let lines = LogLines()
        let logger = Logger(label: "test", level: .debug, sink: { lines.append($0) })
        let configuration = HTTPServer.Configuration(
            service: "test", port: 0, threads: threads, maxBodyBytes: maxBodyBytes)
        server = HTTPServer(configuration: configuration, router: router, logger: logger, health: health)
        try server.start()
        client = HTTPClient(
            baseURL: "http://127.0.0.1:\(server.port)", service: "test", timeoutSeconds: 20, retries: retries,
            retryDelaySeconds: 0.05)
        self.lines = lines
    }
}

/// Log lines captured from a logger's sink.
final class LogLines: @unchecked Sendable {
    // @unchecked Sendable: `lines` is only touched while `lock` is held.
    private let lock = NSLock()
    private var lines: [String] = []

    func append(_ line: String) {
        lock.withLock { lines.append(line) }
    }

    var all: [String] {
        lock.withLock { lines }
    }
}

/// A thread-safe counter for handlers.
final class Counter: @unchecked Sendable {
    // @unchecked Sendable: `value` is only touched while `lock` is held.
    private let lock = NSLock()
    private var value = 0

    func next() -> Int {
        lock.withLock {
            value += 1
            return value
        }
    }

    var current: Int {
        lock.withLock { value }
    }
}

/// Expects `body` to throw a `ServiceError` and returns it.
func serviceError(_ body: () throws -> Void) -> ServiceError? {
    do {
        try body()
        return nil
    } catch let error as ServiceError {
        return error
    } catch {
        return nil
    }
}

/// A port that was free a moment ago: bound by a server that has stopped since.
func freePort() throws -> Int {
    let server = HTTPServer(
        configuration: .init(service: "probe", port: 0), router: Router(),
        logger: Logger(label: "probe", sink: { _ in }))
    try server.start()
    let port = server.port
    server.stop()
    return port
}
