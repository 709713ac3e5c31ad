import Foundation
import Shared

#if canImport(Glibc)
    import Glibc
#elseif canImport(Darwin)
    import Darwin
#endif

/// Keeps every file the sampler touches under its configured roots.
///
/// A client path is refused with 400 `invalid_path` when it is empty, relative or has a `..` component,
/// and with 403 `outside_roots` when its real location (symbolic links resolved) is not inside a root;
/// a path that does not exist is 404 `not_found`. Checks run again when a stored image is served, so a
/// link swapped in after the scan cannot lead outside.
public struct PathGuard: Sendable {
    /// The canonical root folders.
    public let roots: [String]

    /// Creates a guard over canonical root paths.
    public init(roots: [String]) {
        self.roots = roots
    }

    /// The canonical path of an existing file or folder that lies under a root.
    /// - Throws: `ServiceError` 400 `invalid_path`, 404 `not_found` or 403 `outside_roots`.
    public func resolve(_ path: String, what: String) throws -> String {
        guard !path.isEmpty, path.hasPrefix("/") else {
            throw ServiceError.badRequest("invalid_path", "the \(what) must be an absolute path")
        }
        guard !path.split(separator: "/").contains("..") else {
            throw ServiceError.badRequest("invalid_path", "the \(what) path must not contain '..'")
        }
        guard let canonical = Self.canonicalPath(path) else {
            throw ServiceError.notFound("not_found", "the \(what) does not exist")
        }
        guard contains(canonical) else {
            throw ServiceError(
                status: 403, code: "outside_roots",
                message: "the \(what) is not under any of the sampler's configured roots")
        }
        return canonical
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
