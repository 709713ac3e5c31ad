#if canImport(Glibc)
    import Glibc
    private let systemRead = Glibc.read
#elseif canImport(Darwin)
    import Darwin
    private let systemRead = Darwin.read
#endif

/// Reads a regular file by its canonical path without following a symbolic link anywhere on the way.
///
/// A path checked against the roots can still be swapped for a link (to a file, or a folder, outside them)
/// before it is read. Opening it one component at a time from `/`, each with `O_NOFOLLOW`, makes the read
/// fail instead, and the size is taken from the open file itself, so a link to something larger cannot get
/// past the size limit either. FIFOs and devices are refused without blocking.
enum NoFollowReader {
    /// What a read gave.
    enum Outcome: Equatable {
        /// The whole file.
        case bytes([UInt8])
        /// The file is larger than allowed (its size in bytes).
        case tooLarge(Int)
        /// Missing, not a regular file, behind a symbolic link, or unreadable.
        case unreadable
        /// The file grew or shrank while it was read (being written or copied): what was read is not one
        /// version of it.
        case changing
    }

    /// Reads the regular file at `canonicalPath` (absolute, no links, no `..`) if it is at most `maxBytes`.
    static func read(canonicalPath: String, maxBytes: Int) -> Outcome {
        let components = canonicalPath.split(separator: "/").map(String.init)
        guard let name = components.last, !components.contains(".."), canonicalPath.hasPrefix("/") else {
            return .unreadable
        }
        var directory = open("/", O_RDONLY | O_DIRECTORY | O_CLOEXEC)
        for component in components.dropLast() where directory >= 0 {
            let next = openat(directory, component, O_RDONLY | O_DIRECTORY | O_NOFOLLOW | O_CLOEXEC)
            close(directory)
            directory = next
        }
        guard directory >= 0 else { return .unreadable }
        let file = openat(directory, name, O_RDONLY | O_NOFOLLOW | O_NONBLOCK | O_CLOEXEC)
        close(directory)
        guard file >= 0 else { return .unreadable }
        defer { close(file) }

        var status = stat()
        guard fstat(file, &status) == 0, status.st_mode & S_IFMT == S_IFREG else { return .unreadable }
        let size = Int(status.st_size)
        guard size <= maxBytes else { return .tooLarge(size) }
        // One byte more than `fstat` said is asked for: getting it, or fewer bytes than it said, means the
        // file is being written.
        var bytes = [UInt8](repeating: 0, count: size + 1)
        var filled = 0
        while filled < bytes.count {
            let count = bytes.withUnsafeMutableBytes {
                systemRead(file, $0.baseAddress! + filled, $0.count - filled)
            }
            if count < 0 && errno == EINTR { continue }
            guard count >= 0 else { return .unreadable }
            if count == 0 { break }
            filled += count
        }
        // The same size and modification time after the read as before it: no write came in between.
        var after = stat()
        guard filled == size, fstat(file, &after) == 0, after.st_size == status.st_size,
            after.st_mtim.tv_sec == status.st_mtim.tv_sec, after.st_mtim.tv_nsec == status.st_mtim.tv_nsec
        else { return .changing }
        bytes.removeLast()
        return .bytes(bytes)
    }
}
