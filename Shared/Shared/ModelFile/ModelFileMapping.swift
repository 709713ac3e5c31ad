#if canImport(Glibc)
    import Glibc
#elseif canImport(Darwin)
    import Darwin
#endif

/// The read-only bytes of one model file: a heap copy of files up to `readLimit` bytes, a private memory
/// mapping of larger ones.
///
/// Another process may write into a served model file in place instead of replacing it by rename. A mapping
/// would then show the new bytes (or fault, if the file shrank) under views that were verified against the
/// old ones, so files small enough to hold are read into memory once and verified there.
///
/// `@unchecked Sendable` is safe because the memory is never written after `init` and is released only in
/// `deinit`, when no view can reach it any more (every view holds a strong reference to its mapping).
final class ModelFileMapping: @unchecked Sendable {
    /// The first byte.
    let base: UnsafeRawPointer
    /// The number of bytes.
    let count: Int
    /// The mapping of a large file; nil when the bytes are a heap copy.
    private let mapped: MappedFile?

    /// The largest file read into memory; larger ones are mapped and must only ever be replaced by rename
    /// (as `ModelFileWriter` does), never rewritten in place.
    static let readLimit = 512 << 20

    /// Reads (or, above `readLimit`, maps) the file at `path`.
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
        guard size > Self.readLimit else {
            base = UnsafeRawPointer(try Self.read(descriptor, size: size, path: path))
            count = size
            mapped = nil
            return
        }
        // TODO: a mapped file rewritten in place changes under verified views; snapshotting it (a reflink
        // copy, or a private copy on the same file system) would close that for very large models too.
        let mapping: MappedFile
        do {
            mapping = try MappedFile(path: path)
        } catch {
            throw ModelFileError(.io, error.message)
        }
        guard let address = mapping.bytes.baseAddress, mapping.bytes.count == size else {
            throw ModelFileError(.truncated, "\(path) changed size while being opened")
        }
        base = address
        count = size
        mapped = mapping
    }

    /// Reads `size` bytes of an open file into page-aligned memory; a file that shrinks while being read is
    /// reported as truncated.
    private static func read(_ descriptor: Int32, size: Int, path: String) throws -> UnsafeMutableRawPointer {
        let memory = UnsafeMutableRawPointer.allocate(byteCount: size, alignment: 4096)
        var offset = 0
        while offset < size {
            let got = pread(descriptor, memory + offset, size - offset, off_t(offset))
            if got < 0, errno == EINTR {
                continue
            }
            guard got > 0 else {
                let reason = got == 0 ? "it shrank while being read" : String(cString: strerror(errno))
                memory.deallocate()
                throw ModelFileError(got == 0 ? .truncated : .io, "cannot read \(path): \(reason)")
            }
            offset += got
        }
        return memory
    }

    /// Copies `bytes` into memory aligned like a mapping.
    init(bytes: [UInt8]) {
        let memory = UnsafeMutableRawPointer.allocate(byteCount: max(bytes.count, 1), alignment: 4096)
        bytes.withUnsafeBytes {
            memory.copyMemory(from: $0.baseAddress ?? UnsafeRawPointer(memory), byteCount: $0.count)
        }
        base = UnsafeRawPointer(memory)
        count = bytes.count
        mapped = nil
    }

    deinit {
        if mapped == nil {
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
