import Foundation

/// What every service executable does around its own service: read the configuration, start the HTTP
/// server, log one start line, serve until SIGTERM or SIGINT, stop gracefully, and exit with a status that
/// tells a bad configuration (2) from a failure to start (1).
public enum ServiceLauncher {
    /// Runs `body` to read the configuration and build the service; on failure prints a one-line message
    /// prefixed with the service name and exits: status 2 for a `ConfigurationError`, else 1.
    public static func prepare<T>(_ service: String, _ body: () throws -> T) -> T {
        do {
            return try body()
        } catch let error as ConfigurationError {
            fail(service, error.message, status: 2)
        } catch {
            fail(service, "cannot start: \(error)", status: 1)
        }
    }

    /// Starts `server`, calls `started` (for work that needs the bound server, such as attaching metrics or
    /// starting background workers), logs "listening" with `summary` and the real address, blocks until a
    /// signal, stops the server and then calls `stopped`. Exits with status 1 when the server cannot start.
    public static func serve(
        _ server: HTTPServer, logger: Logger, summary: [String: String],
        started: (HTTPServer) throws -> Void = { _ in }, stopped: () -> Void = {}
    ) {
        let service = server.configuration.service
        do {
            try server.start()
            try started(server)
        } catch {
            server.stop()
            fail(service, "cannot start: \(error)", status: 1)
        }
        var fields = summary
        fields["address"] = "\(server.configuration.host):\(server.port)"
        logger.info("listening", fields)
        server.runUntilSignalled()
        stopped()
    }

    private static func fail(_ service: String, _ message: String, status: Int32) -> Never {
        FileHandle.standardError.write(Data("\(service): \(message)\n".utf8))
        exit(status)
    }
}
