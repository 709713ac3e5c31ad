#if canImport(Glibc)
    import Glibc
#elseif canImport(Darwin)
    import Darwin
#endif

/// A whole file mapped read-only into memory; unmapped when the last reference goes away. Used for the large,
/// rarely replaced files imgrec reads: model weights, word vectors and large model files.
///
/// `@unchecked Sendable`: the mapping is read-only (`PROT_READ`) and never changes after `init`, so any
/// number of threads may read it at once.
public final class MappedFile: @unchecked Sendable {
    /// The path the file was opened from, for messages.
    public let path: String
    /// The mapped bytes; valid as long as this object lives.
    public let bytes: UnsafeRawBufferPointer

    /// Maps the file at `path`.
    /// - Throws: `MappedFile.Failure` naming the file when it cannot be opened, read or mapped.
    public init(path: String) throws(Failure) {
        self.path = path
        let descriptor = open(path, O_RDONLY)
        guard descriptor >= 0 else {
            throw Failure(message: "cannot open \(path): \(String(cString: strerror(errno)))")
        }
        defer { close(descriptor) }

        var status = stat()
        guard fstat(descriptor, &status) == 0 else {
            throw Failure(message: "cannot stat \(path): \(String(cString: strerror(errno)))")
        }
        let size = Int(status.st_size)
        guard size > 0 else {
            bytes = UnsafeRawBufferPointer(start: nil, count: 0)
            return
        }
        guard let address = mmap(nil, size, PROT_READ, MAP_PRIVATE, descriptor, 0), address != MAP_FAILED else {
            throw Failure(message: "cannot map \(path): \(String(cString: strerror(errno)))")
        }
        bytes = UnsafeRawBufferPointer(start: address, count: size)
    }

    /// Why a file could not be mapped, with the path and the system's reason.
    public struct Failure: Error, Sendable, CustomStringConvertible {
        /// A readable explanation naming the file.
        public let message: String
        /// The message.
        public var description: String { message }
    }

    deinit {
        if let base = bytes.baseAddress {
            munmap(UnsafeMutableRawPointer(mutating: base), bytes.count)
        }
    }
}
