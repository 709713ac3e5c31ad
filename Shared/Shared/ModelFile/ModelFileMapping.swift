#if canImport(Glibc)
    import Glibc
#elseif canImport(Darwin)
    import Darwin
#endif

/// The read-only bytes of one model file: a private memory mapping, or a heap copy for in-memory files.
///
/// `@unchecked Sendable` is safe because the memory is never written after `init` and is released only in
/// `deinit`, when no view can reach it any more (every view holds a strong reference to its mapping).
final class ModelFileMapping: @unchecked Sendable {
    /// The first byte.
    let base: UnsafeRawPointer
    /// The number of bytes.
    let count: Int
    private let isMapped: Bool

    /// Maps the file at `path` read-only.
    init(path: String) throws {
        let descriptor = open(path, O_RDONLY | O_CLOEXEC)
        guard descriptor >= 0 else {
            throw ModelFileError(.io, "cannot open \(path): \(String(cString: strerror(errno)))")
        }
        defer { close(descriptor) }

        var status = stat()
        guard fstat(descriptor, &status) == 0 else {
            throw ModelFileError(.io, "cannot stat \(path): \(String(cString: strerror(errno)))")
        }
        guard (status.st_mode & S_IFMT) == S_IFREG else {
            throw ModelFileError(.io, "\(path) is not a regular file")
        }
        let size = Int(status.st_size)
        guard size >= ModelFileFormat.preambleSize else {
            throw ModelFileError(.truncated, "\(path) has \(size) bytes, fewer than the 64-byte preamble")
        }
        guard let address = mmap(nil, size, PROT_READ, MAP_PRIVATE, descriptor, 0), address != MAP_FAILED else {
            throw ModelFileError(.io, "cannot map \(path): \(String(cString: strerror(errno)))")
        }
        base = UnsafeRawPointer(address)
        count = size
        isMapped = true
    }

    /// Copies `bytes` into memory aligned like a mapping.
    init(bytes: [UInt8]) {
        let memory = UnsafeMutableRawPointer.allocate(byteCount: max(bytes.count, 1), alignment: 4096)
        bytes.withUnsafeBytes {
            memory.copyMemory(from: $0.baseAddress ?? UnsafeRawPointer(memory), byteCount: $0.count)
        }
        base = UnsafeRawPointer(memory)
        count = bytes.count
        isMapped = false
    }

    deinit {
        if isMapped {
            munmap(UnsafeMutableRawPointer(mutating: base), count)
        } else {
            UnsafeMutableRawPointer(mutating: base).deallocate()
        }
    }

    /// The bytes `offset..<offset + length`; the caller has checked the bounds.
    func bytes(at offset: UInt64, length: UInt64) -> UnsafeRawBufferPointer {
        UnsafeRawBufferPointer(start: base + Int(offset), count: Int(length))
    }

    /// A little-endian integer at `offset`; the caller has checked the bounds.
    func load<T: FixedWidthInteger>(_ type: T.Type, at offset: Int) -> T {
        T(littleEndian: base.loadUnaligned(fromByteOffset: offset, as: T.self))
    }
}
