import Foundation
import Shared

#if canImport(Glibc)
    import Glibc
    private let systemRead = Glibc.read
    private let systemWrite = Glibc.write
#elseif canImport(Darwin)
    import Darwin
    private let systemRead = Darwin.read
    private let systemWrite = Darwin.write
#endif

/// Reads and writes the text files a command is pointed at, with messages that name the file and say what is
/// wrong with it in plain words.
///
/// A file is replaced through a temporary file in its folder renamed over it, so a run that fails half way
/// leaves the old file whole; a device or a pipe (`/dev/stdout`) is written in place.
enum TextFile {
    /// The whole of a UTF-8 text file, without a leading byte order mark.
    /// - Parameter role: what the file is to the command (`the query file`, `--build-from`), to start messages.
    /// - Throws: `ConfigurationError` saying the file does not exist, is a folder, cannot be read (and why) or
    ///   is not UTF-8 text (and on which line).
    static func read(_ path: String, role: String) throws -> String {
        var status = stat()
        guard stat(path, &status) == 0 else {
            throw missingOrUnreadable(path, role: role, code: errno)
        }
        guard !isFolder(status) else {
            throw ConfigurationError(message: "\(role) \(path) is a folder, not a file")
        }
        let descriptor = open(path, O_RDONLY | O_CLOEXEC)
        guard descriptor >= 0 else {
            throw missingOrUnreadable(path, role: role, code: errno)
        }
        defer { close(descriptor) }

        var bytes = [UInt8]()
        var buffer = [UInt8](repeating: 0, count: 1 << 16)
        while true {
            let count = buffer.withUnsafeMutableBytes { systemRead(descriptor, $0.baseAddress, $0.count) }
            if count < 0 && errno == EINTR { continue }
            guard count >= 0 else {
                throw ConfigurationError(message: "\(role) \(path) cannot be read: \(reason(errno))")
            }
            if count == 0 { break }
            bytes.append(contentsOf: buffer[..<count])
        }
        guard let text = String(validating: bytes, as: UTF8.self) else {
            throw ConfigurationError(
                message: "\(role) \(path) is not UTF-8 text (line \(firstLineNotUTF8(bytes)) holds a byte that "
                    + "is not UTF-8); save it as UTF-8")
        }
        // Spreadsheet programs start their UTF-8 CSV files with a byte order mark; it is no part of the text.
        return text.hasPrefix("\u{FEFF}") ? String(text.dropFirst()) : text
    }

    /// Checks, without changing anything, that `replace(_:with:role:)` can later write `path`: it is no folder,
    /// an existing file opens for writing (in append mode, so nothing is cut), and its folder takes a new file.
    /// - Throws: `ConfigurationError` naming the file and saying why it cannot be written.
    /// Whether two paths name one existing file (the same device and inode, links followed), or, for a file
    /// that does not exist yet, the same resolved path.
    static func sameFile(_ first: String, _ second: String) -> Bool {
        var a = stat()
        var b = stat()
        if stat(first, &a) == 0, stat(second, &b) == 0 { return a.st_dev == b.st_dev && a.st_ino == b.st_ino }
        return resolved(first) == resolved(second)
    }

    static func checkWritable(_ path: String, role: String) throws {
        var status = stat()
        if stat(path, &status) == 0 {
            guard !isFolder(status) else {
                throw ConfigurationError(message: "\(role) \(path) is a folder; give the path of a file")
            }
            // Non-blocking, so that a named pipe nobody reads fails here instead of hanging the run.
            let descriptor = open(path, O_WRONLY | O_APPEND | O_NONBLOCK | O_CLOEXEC)
            guard descriptor >= 0 else {
                throw ConfigurationError(message: "\(role) \(path) cannot be written: \(reason(errno))")
            }
            close(descriptor)
            guard isRegularFile(status) else {
                return
            }
        } else if errno != ENOENT && errno != ENOTDIR {
            throw ConfigurationError(message: "\(role) \(path) cannot be written: \(reason(errno))")
        }

        let target = resolved(path)
        let folder = folder(of: target)
        var folderStatus = stat()
        guard stat(folder, &folderStatus) == 0 else {
            throw ConfigurationError(message: "\(role) \(path) cannot be written: its folder \(folder) does not exist")
        }
        guard isFolder(folderStatus) else {
            throw ConfigurationError(message: "\(role) \(path) cannot be written: \(folder) is not a folder")
        }
        let probe = temporaryPath(for: target)
        let descriptor = open(probe, O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, 0o600)
        guard descriptor >= 0 else {
            throw ConfigurationError(message: "\(role) \(path) cannot be written: \(folderReason(errno, folder))")
        }
        close(descriptor)
        unlink(probe)
    }

    /// Replaces the content of `path` with `text`: a regular file (new or old) through a temporary file in its
    /// folder renamed over it, keeping an old file's permissions; a device or a pipe in place.
    /// - Throws: `ConfigurationError` naming the file and saying why it could not be written; an old file is
    ///   then left as it was.
    static func replace(_ path: String, with text: String, role: String) throws {
        let bytes = Array(text.utf8)
        var status = stat()
        let exists = stat(path, &status) == 0
        if exists && isFolder(status) {
            throw ConfigurationError(message: "\(role) \(path) is a folder; give the path of a file")
        }
        if exists && !isRegularFile(status) {
            let descriptor = open(path, O_WRONLY | O_CLOEXEC)
            guard descriptor >= 0 else {
                throw ConfigurationError(message: "\(role) \(path) cannot be written: \(reason(errno))")
            }
            defer { close(descriptor) }
            if let code = writeAll(bytes, to: descriptor) {
                throw ConfigurationError(message: "\(role) \(path) cannot be written: \(reason(code))")
            }
            return
        }

        // A link is followed, so that the file it points to is replaced and the link stays.
        let target = resolved(path)
        let temporary = temporaryPath(for: target)
        let descriptor = open(temporary, O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, 0o666)
        guard descriptor >= 0 else {
            throw ConfigurationError(
                message: "\(role) \(path) cannot be written: \(folderReason(errno, folder(of: target)))")
        }
        var failure = writeAll(bytes, to: descriptor)
        if failure == nil, exists, fchmod(descriptor, status.st_mode & 0o7777) != 0 { failure = errno }
        if failure == nil, fsync(descriptor) != 0 { failure = errno }
        if close(descriptor) != 0, failure == nil { failure = errno }
        if failure == nil, rename(temporary, target) != 0 { failure = errno }
        if let failure {
            unlink(temporary)
            throw ConfigurationError(message: "\(role) \(path) cannot be written: \(reason(failure))")
        }
    }

    /// Writes every byte, retrying short writes; the `errno` of a failure, or nil.
    private static func writeAll(_ bytes: [UInt8], to descriptor: Int32) -> Int32? {
        var written = 0
        while written < bytes.count {
            let count = bytes.withUnsafeBytes { systemWrite(descriptor, $0.baseAddress! + written, $0.count - written) }
            if count < 0 && errno == EINTR { continue }
            guard count > 0 else {
                return count < 0 ? errno : EIO
            }
            written += count
        }
        return nil
    }

    /// `stat` or `open` failed on a file to be read.
    private static func missingOrUnreadable(_ path: String, role: String, code: Int32) -> ConfigurationError {
        switch code {
        case ENOENT:
            ConfigurationError(message: "\(role) \(path) does not exist")
        case ENOTDIR:
            ConfigurationError(message: "\(role) \(path) does not exist (part of its path is not a folder)")
        default:
            ConfigurationError(message: "\(role) \(path) cannot be read: \(reason(code))")
        }
    }

    /// Why a new file cannot be made in `folder`.
    private static func folderReason(_ code: Int32, _ folder: String) -> String {
        switch code {
        case EACCES, EPERM:
            "its folder \(folder) is not writable"
        case EROFS:
            "its folder \(folder) is on a read-only file system"
        case ENOSPC, EDQUOT:
            reason(code)
        default:
            "its folder \(folder) takes no new files (\(String(cString: strerror(code))))"
        }
    }

    /// An `errno` in words.
    static func reason(_ code: Int32) -> String {
        switch code {
        case ENOSPC, EDQUOT:
            "no space left on the device"
        case EACCES, EPERM:
            "permission denied"
        case EROFS:
            "it is on a read-only file system"
        case ENXIO:
            "no process is reading it"
        default:
            String(cString: strerror(code))
        }
    }

    /// The 1-based line of the first byte that is not part of valid UTF-8.
    static func firstLineNotUTF8(_ bytes: [UInt8]) -> Int {
        var parser = Unicode.UTF8.ForwardParser()
        var iterator = bytes.makeIterator()
        var line = 1
        while case .valid(let scalar) = parser.parseScalar(from: &iterator) {
            if scalar.first == UInt8(ascii: "\n") { line += 1 }
        }
        return line
    }

    /// `path` with its links resolved when it exists, else as given.
    private static func resolved(_ path: String) -> String {
        guard let canonical = realpath(path, nil) else {
            return path
        }
        defer { free(canonical) }
        return String(cString: canonical)
    }

    /// The folder `path` is in.
    private static func folder(of path: String) -> String {
        let url = URL(fileURLWithPath: path)
        return url.deletingLastPathComponent().path
    }

    /// A fresh name beside `path`, hidden, for a file that becomes `path` by a rename.
    private static func temporaryPath(for path: String) -> String {
        let name = URL(fileURLWithPath: path).lastPathComponent
        return folder(of: path) + "/.\(name).tmp-\(getpid())-\(UInt32.random(in: .min ... .max))"
    }

    private static func isFolder(_ status: stat) -> Bool {
        status.st_mode & S_IFMT == S_IFDIR
    }

    private static func isRegularFile(_ status: stat) -> Bool {
        status.st_mode & S_IFMT == S_IFREG
    }
}
