import CMicroHTTPD
import Dispatch
import Foundation

/// An HTTP/1.1 server on libmicrohttpd with a pool of polling threads, keep-alive, routing, JSON errors,
/// request ids, `GET /healthz`, `GET /metrics` and a graceful stop.
///
/// Handlers run on the daemon's threads, so several run at once.
///
/// `@unchecked Sendable`: the daemon handle and the counters are only touched while `lock` is held; the
/// router and metrics are thread-safe themselves; the rest is immutable after `init`.
public final class HTTPServer: @unchecked Sendable {
    /// Where and how the server listens.
    public struct Configuration: Sendable {
        /// The service name, reported by `/healthz` and in logs.
        public var service: String
        /// A numeric IPv4 or IPv6 address to bind, or `localhost`; `0.0.0.0` listens everywhere.
        public var host: String
        /// The port; 0 asks for any free port (read the real one from `HTTPServer.port`).
        public var port: Int
        /// Polling threads; each runs handlers.
        public var threads: Int
        /// Largest request body accepted; larger ones get 413 `payload_too_large`.
        public var maxBodyBytes: Int
        /// Idle connections are closed after this many seconds.
        public var connectionTimeoutSeconds: Int
        /// How long `stop()` waits for requests in flight before closing connections anyway.
        public var shutdownGraceSeconds: Double = 10

        /// Creates a configuration.
        public init(
            service: String, host: String = "127.0.0.1", port: Int, threads: Int = 4,
            maxBodyBytes: Int = 32 << 20, connectionTimeoutSeconds: Int = 30
        ) {
            self.service = service
            self.host = host
            self.port = port
            self.threads = threads
            self.maxBodyBytes = maxBodyBytes
            self.connectionTimeoutSeconds = connectionTimeoutSeconds
        }
    }

    /// The configuration the server was created with.
    public let configuration: Configuration
    /// Request counts and latencies per route, plus whatever the service records.
    public let metrics: Metrics
    let router: Router
    let builtins = Router()
    let logger: Logger
    let health: @Sendable () -> [String: String]

    private let lock = NSLock()
    private var daemon: OpaquePointer?
    private var boundPort = 0
    private var requestsInFlight = 0
    private var stopping = false
    private let stopRequested = DispatchSemaphore(value: 0)

    /// Creates a server; nothing listens until `start()`.
    /// - Parameter health: extra fields for the `/healthz` document, such as the loaded model's version.
    public init(
        configuration: Configuration, router: Router, logger: Logger,
        health: @escaping @Sendable () -> [String: String] = { [:] }
    ) {
        self.configuration = configuration
        self.router = router
        self.logger = logger
        self.health = health
        self.metrics = Metrics()
        installBuiltins()
    }

    /// Binds and starts the polling threads; afterwards `port` is the real port.
    /// - Throws: `ServiceError` 500 `listen_failed` when the address is invalid or the port is taken.
    public func start() throws {
        let host = configuration.host == "localhost" ? "127.0.0.1" : configuration.host
        guard (0...65535).contains(configuration.port) else {
            throw ServiceError.internalError("port \(configuration.port) is out of range")
        }
        lock.lock()
        defer { lock.unlock() }
        guard daemon == nil else {
            return
        }
        let flags = MHD_USE_INTERNAL_POLLING_THREAD.rawValue | MHD_USE_AUTO.rawValue | MHD_USE_ITC.rawValue
        // The daemon holds the server until `stop()` releases it, so callbacks never see a freed object.
        let context = Unmanaged.passRetained(self).toOpaque()
        let started = imgrec_mhd_start(
            flags, UInt16(configuration.port), host == "*" ? nil : host, UInt32(max(1, configuration.threads)),
            UInt32(max(0, configuration.connectionTimeoutSeconds)), mhdAccessHandler, context,
            mhdRequestCompleted, context)
        guard let started else {
            Unmanaged<HTTPServer>.fromOpaque(context).release()
            throw ServiceError(
                status: 500, code: "listen_failed",
                message: "cannot listen on \(configuration.host):\(configuration.port) (address in use or invalid)")
        }
        daemon = started
        boundPort = Int(imgrec_mhd_bound_port(started))
        stopping = false
    }

    /// The port the server listens on: the real one after `start()`, else the configured one.
    public var port: Int {
        lock.withLock { daemon == nil ? configuration.port : boundPort }
    }

    /// Open client connections, idle keep-alive ones included; 0 when not running.
    public var connectionCount: Int {
        lock.withLock { daemon.map { Int(imgrec_mhd_connection_count($0)) } ?? 0 }
    }

    /// Stops gracefully: stops accepting connections, lets requests in flight finish (up to
    /// `shutdownGraceSeconds`), then closes the rest. Safe to call more than once.
    public func stop() {
        let quiesced: (daemon: OpaquePointer, socket: Int32)? = lock.withLock {
            guard let daemon, !stopping else {
                return nil
            }
            stopping = true
            return (daemon, MHD_quiesce_daemon(daemon))
        }
        guard let quiesced else {
            return
        }
        let deadline = Date().addingTimeInterval(configuration.shutdownGraceSeconds)
        while lock.withLock({ requestsInFlight }) > 0, Date() < deadline {
            usleep(5_000)
        }
        MHD_stop_daemon(quiesced.daemon)
        if quiesced.socket >= 0 {
            close(quiesced.socket)
        }
        lock.withLock {
            daemon = nil
            stopping = false
        }
        Unmanaged.passUnretained(self).release()
        stopRequested.signal()
    }

    /// Blocks until SIGTERM or SIGINT arrives (or `stop()` is called elsewhere), then stops gracefully.
    public func runUntilSignalled() {
        let sources = [SIGTERM, SIGINT].map { number in
            signal(number, SIG_IGN)
            let source = DispatchSource.makeSignalSource(signal: number, queue: .global())
            source.setEventHandler { [stopRequested, logger] in
                logger.info("stopping", ["signal": number == SIGTERM ? "SIGTERM" : "SIGINT"])
                stopRequested.signal()
            }
            source.resume()
            return source
        }
        stopRequested.wait()
        sources.forEach { $0.cancel() }
        stop()
    }

    /// Whether a graceful stop is under way; responses then ask clients to close the connection.
    var isStopping: Bool {
        lock.withLock { stopping }
    }

    func requestStarted() {
        lock.withLock { requestsInFlight += 1 }
    }

    func requestFinished() {
        lock.withLock { requestsInFlight -= 1 }
    }

    private func installBuiltins() {
        builtins.get("/healthz") { [configuration, health] _ in
            var document = health()
            document["status"] = document["status"] ?? "ok"
            document["service"] = configuration.service
            return .json(document)
        }
        builtins.get("/metrics") { [metrics] _ in
            .text(metrics.prometheusText(), contentType: "text/plain; version=0.0.4; charset=utf-8")
        }
    }
}
