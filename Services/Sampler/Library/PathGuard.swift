import Foundation
import Shared

#if canImport(Glibc)
    import Glibc
#elseif canImport(Darwin)
    import Darwin
#endif

/// Keeps every file the sampler touches under its configured roots.
///
/// A client path is refused with 400 `invalid_path` when it is empty, relative or has a `..` component.
/// Then it must lie under a root twice over, or it is 403 `outside_roots` whether it exists or not (so
/// answers never reveal what exists elsewhere): first as written (lexically standardised), then with its
/// symbolic links resolved. Only then is a path that does not exist 404 `not_found`. Checks run again
/// when a stored image is served, so a link swapped in after the scan cannot lead outside.
public struct PathGuard: Sendable {
    /// Where a path leads, as far as the roots are concerned.
    public enum Location: Sendable, Equatable {
        /// Outside every root, lexically or once links are resolved.
        case outside
        /// Under a root, but nothing exists there.
        case missing
        /// An existing file or folder under a root, by its canonical path.
        case inside(String)
    }

    /// The canonical root folders.
    public let roots: [String]

    /// Creates a guard over canonical root paths.
    public init(roots: [String]) {
        self.roots = roots
    }

    /// The canonical path of an existing file or folder that lies under a root.
    /// - Throws: `ServiceError` 400 `invalid_path`, 403 `outside_roots` or 404 `not_found`.
    public func resolve(_ path: String, what: String) throws -> String {
        guard !path.isEmpty, path.hasPrefix("/") else {
            throw ServiceError.badRequest("invalid_path", "the \(what) must be an absolute path")
        }
        guard !path.split(separator: "/").contains("..") else {
            throw ServiceError.badRequest("invalid_path", "the \(what) path must not contain '..'")
        }
        switch locate(path) {
        case .outside: throw Self.outsideRoots(what)
        case .missing: throw ServiceError.notFound("not_found", "the \(what) does not exist")
        case .inside(let canonical): return canonical
        }
    }

    /// Where an absolute path without `..` components leads: compared with the roots as written, then with
    /// its links resolved (for a path that does not exist, those of its deepest existing folder), and only
    /// then checked for existence.
    public func locate(_ absolutePath: String) -> Location {
        let components = absolutePath.split(separator: "/").filter { $0 != "." }.map(String.init)
        guard contains("/" + components.joined(separator: "/")) else { return .outside }

        var existing = components.count
        var canonical = Self.canonicalPath("/" + components.joined(separator: "/"))
        while canonical == nil && existing > 0 {
            existing -= 1
            canonical = Self.canonicalPath("/" + components.prefix(existing).joined(separator: "/"))
        }
        guard let canonical else { return .outside }
        let rest = components.dropFirst(existing)
        let resolved = rest.isEmpty ? canonical : ([canonical == "/" ? "" : canonical] + rest).joined(separator: "/")
        guard contains(resolved) else { return .outside }
        return rest.isEmpty ? .inside(canonical) : .missing
    }

    /// The 403 for a path outside the roots.
    static func outsideRoots(_ what: String) -> ServiceError {
        ServiceError(
            status: 403, code: "outside_roots",
            message: "the \(what) is not under any of the sampler's configured roots")
    }

    /// Whether a canonical path lies inside (or is) one of the roots.
    public func contains(_ canonicalPath: String) -> Bool {
        let components = canonicalPath.split(separator: "/")
        return roots.contains { root in
            let rootComponents = root.split(separator: "/")
            return components.count >= rootComponents.count
                && Array(components.prefix(rootComponents.count)) == rootComponents
        }
    }

    /// The absolute path with every symbolic link, `.` and `..` resolved, or nil when it does not exist.
    public static func canonicalPath(_ path: String) -> String? {
        guard let resolved = realpath(path, nil) else { return nil }
        defer { free(resolved) }
        return String(cString: resolved)
    }

    /// Whether a path names an existing folder.
    public static func isDirectory(_ path: String) -> Bool {
        var isDirectory: ObjCBool = false
        return FileManager.default.fileExists(atPath: path, isDirectory: &isDirectory) && isDirectory.boolValue
    }

    /// Whether a path names an existing regular file (after links are resolved).
    public static func isRegularFile(_ path: String) -> Bool {
        var isDirectory: ObjCBool = false
        return FileManager.default.fileExists(atPath: path, isDirectory: &isDirectory) && !isDirectory.boolValue
    }
}
