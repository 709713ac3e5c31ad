import Foundation

/// A handler for one route. A thrown `ServiceError` is answered with its status; any other error becomes
/// a 500 `internal` whose message reveals nothing, and is logged.
public typealias HTTPHandler = @Sendable (HTTPRequest) throws -> HTTPResponse

/// Maps a method and a path to a handler. Patterns are literal segments and `{name}` parameters, such as
/// `/v1/images/{id}/sidecar`; a literal segment wins over a parameter at the same place.
///
/// `@unchecked Sendable`: the route table is only read and written while `lock` is held.
public final class Router: @unchecked Sendable {
    /// One registered route.
    struct Route {
        let method: String
        let pattern: String
        let segments: [Segment]
        let handler: HTTPHandler
    }

    enum Segment: Equatable {
        case literal(String)
        case parameter(String)
    }

    /// The outcome of looking up a request.
    enum Match {
        case found(handler: HTTPHandler, pattern: String, parameters: [String: String])
        case methodNotAllowed(pattern: String, allowed: [String])
        case notFound
    }

    private let lock = NSLock()
    private var routes: [Route] = []

    /// Creates an empty router.
    public init() {}

    /// Every registered route as `(method, pattern)`, in registration order; what an API document must list.
    public var registeredRoutes: [(method: String, pattern: String)] {
        lock.withLock { routes.map { ($0.method, $0.pattern) } }
    }

    /// Routes `GET pattern` (and `HEAD pattern`) to `handler`.
    public func get(_ pattern: String, _ handler: @escaping HTTPHandler) {
        add("GET", pattern, handler)
    }

    /// Routes `POST pattern` to `handler`.
    public func post(_ pattern: String, _ handler: @escaping HTTPHandler) {
        add("POST", pattern, handler)
    }

    /// Routes `PUT pattern` to `handler`.
    public func put(_ pattern: String, _ handler: @escaping HTTPHandler) {
        add("PUT", pattern, handler)
    }

    /// Routes `DELETE pattern` to `handler`.
    public func delete(_ pattern: String, _ handler: @escaping HTTPHandler) {
        add("DELETE", pattern, handler)
    }

    /// Routes `method pattern` to `handler`; a later registration of the same method and pattern replaces
    /// the earlier one.
    public func add(_ method: String, _ pattern: String, _ handler: @escaping HTTPHandler) {
        let route = Route(
            method: method.uppercased(), pattern: pattern, segments: Self.segments(of: pattern), handler: handler)
        lock.withLock {
            routes.removeAll { $0.method == route.method && $0.segments == route.segments }
            routes.append(route)
        }
    }

    /// Finds the route for `method` and `path`.
    func match(method: String, path: String) -> Match {
        let parts = path.split(separator: "/", omittingEmptySubsequences: true).map(String.init)
        let candidates = lock.withLock { routes }
        var best: (route: Route, parameters: [String: String], literals: Int)?
        var allowed: [String] = []
        var allowedPattern: String?
        let wanted = method == "HEAD" ? "GET" : method
        for route in candidates {
            guard let parameters = Self.bind(route.segments, to: parts) else {
                continue
            }
            guard route.method == wanted else {
                allowed.append(route.method)
                allowedPattern = allowedPattern ?? route.pattern
                continue
            }
            let literals = route.segments.count - parameters.count
            if best == nil || literals > best!.literals {
                best = (route, parameters, literals)
            }
        }
        if let best {
            return .found(handler: best.route.handler, pattern: best.route.pattern, parameters: best.parameters)
        }
        if let allowedPattern {
            return .methodNotAllowed(pattern: allowedPattern, allowed: Array(Set(allowed)).sorted())
        }
        return .notFound
    }

    private static func segments(of pattern: String) -> [Segment] {
        pattern.split(separator: "/", omittingEmptySubsequences: true).map { part in
            if part.hasPrefix("{"), part.hasSuffix("}"), part.count > 2 {
                return .parameter(String(part.dropFirst().dropLast()))
            }
            return .literal(String(part))
        }
    }

    private static func bind(_ segments: [Segment], to parts: [String]) -> [String: String]? {
        guard segments.count == parts.count else {
            return nil
        }
        var parameters: [String: String] = [:]
        for (segment, part) in zip(segments, parts) {
            switch segment {
            case .literal(let text):
                guard text == part else {
                    return nil
                }
            case .parameter(let name):
                parameters[name] = part
            }
        }
        return parameters
    }
}
