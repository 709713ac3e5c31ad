import Foundation

#if canImport(Glibc)
    import Glibc
#elseif canImport(Darwin)
    import Darwin
#endif

extension ModelFileWriter {
    /// The complete file as bytes: preamble, JSON header, then the 64-byte-aligned sections.
    public func encoded() throws -> [UInt8] {
        let defaultName = defaultMethod ?? methods.first?.name ?? ""
        guard methods.isEmpty || methods.contains(where: { $0.name == defaultName }) else {
            throw ModelFileError(.invalidInput, "default method \(defaultName) is not among the methods")
        }

        // Section offsets depend on the header's length, which depends on the offsets: iterate to a fixed point.
        var headerBytes = [UInt8]()
        var dataStart = UInt64(ModelFileFormat.preambleSize)
        var entries = [ModelSectionEntry]()
        for _ in 0..<8 {
            entries = layout(startingAt: dataStart)
            let header = ModelFileHeader(
                methods: methods, defaultMethod: defaultName, parameters: parameters, createdAt: createdAt,
                sections: entries)
            headerBytes = try Self.encodeHeader(header)
            let needed = ModelFileFormat.aligned(UInt64(ModelFileFormat.preambleSize + headerBytes.count))!
            if needed == dataStart { break }
            dataStart = needed
        }

        var file = [UInt8]()
        file.append(contentsOf: ModelFileFormat.magic)
        Self.appendLittleEndian(ModelFileFormat.version, to: &file)
        Self.appendLittleEndian(UInt32(0), to: &file)
        Self.appendLittleEndian(UInt64(ModelFileFormat.preambleSize), to: &file)
        Self.appendLittleEndian(UInt64(headerBytes.count), to: &file)
        file.append(contentsOf: headerBytes.withUnsafeBytes { ModelFileDigest.sha256($0) })
        file.append(contentsOf: headerBytes)
        for (section, entry) in zip(sections, entries) {
            file.append(contentsOf: [UInt8](repeating: 0, count: Int(entry.offset) - file.count))
            file.append(contentsOf: section.bytes)
        }
        return file
    }

    /// Writes the file atomically: a temporary file in the same directory, fsync, rename, fsync the directory.
    ///
    /// Readers that have the old file mapped keep their view; a new open sees either the old or the new file.
    public func write(to path: String) throws {
        let bytes = try encoded()
        let url = URL(fileURLWithPath: path)
        let directory = url.deletingLastPathComponent().path
        let temporary = "\(directory)/.\(url.lastPathComponent).tmp-\(getpid())-\(UInt32.random(in: .min ... .max))"

        let descriptor = open(temporary, O_WRONLY | O_CREAT | O_EXCL, 0o644)
        guard descriptor >= 0 else {
            throw ModelFileError(.io, "cannot create \(temporary): \(String(cString: strerror(errno)))")
        }
        var written = 0
        while written < bytes.count {
            let result = bytes.withUnsafeBytes { buffer in
                systemWrite(descriptor, buffer.baseAddress! + written, bytes.count - written)
            }
            if result < 0 && errno == EINTR { continue }
            guard result > 0 else {
                let reason = String(cString: strerror(errno))
                close(descriptor)
                unlink(temporary)
                throw ModelFileError(.io, "cannot write \(temporary): \(reason)")
            }
            written += result
        }
        guard fsync(descriptor) == 0, close(descriptor) == 0 else {
            unlink(temporary)
            throw ModelFileError(.io, "cannot flush \(temporary): \(String(cString: strerror(errno)))")
        }
        guard rename(temporary, path) == 0 else {
            let reason = String(cString: strerror(errno))
            unlink(temporary)
            throw ModelFileError(.io, "cannot rename \(temporary) to \(path): \(reason)")
        }
        let directoryDescriptor = open(directory, O_RDONLY)
        if directoryDescriptor >= 0 {
            _ = fsync(directoryDescriptor)
            close(directoryDescriptor)
        }
    }

    /// Assigns each section a 64-byte-aligned offset from `start` on, in insertion order.
    private func layout(startingAt start: UInt64) -> [ModelSectionEntry] {
        var offset = start
        return sections.map { section in
            let entry = ModelSectionEntry(
                name: section.name, kind: section.kind, offset: offset, length: UInt64(section.bytes.count),
                count: section.count, rows: section.rows, cols: section.cols,
                sha256: ModelFileDigest.sha256Hex(section.bytes))
            offset = ModelFileFormat.aligned(offset + UInt64(section.bytes.count))!
            return entry
        }
    }

    static func encodeHeader(_ header: ModelFileHeader) throws -> [UInt8] {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys]
        do {
            return Array(try encoder.encode(header))
        } catch {
            throw ModelFileError(.invalidInput, "cannot encode header: \(error)")
        }
    }

    static func encodeStrings(_ values: [String]) -> [UInt8] {
        var offsets = [UInt8]()
        var text = [UInt8]()
        offsets.reserveCapacity((values.count + 1) * 8)
        Self.appendLittleEndian(UInt64(0), to: &offsets)
        for value in values {
            text.append(contentsOf: value.utf8)
            Self.appendLittleEndian(UInt64(text.count), to: &offsets)
        }
        return offsets + text
    }

    static func appendLittleEndian<T: FixedWidthInteger>(_ value: T, to bytes: inout [UInt8]) {
        withUnsafeBytes(of: value.littleEndian) { bytes.append(contentsOf: $0) }
    }
}

/// `write(2)`, named apart from the writer's own `write(to:)`.
private func systemWrite(_ descriptor: Int32, _ buffer: UnsafeRawPointer, _ count: Int) -> Int {
    #if canImport(Glibc)
        Glibc.write(descriptor, buffer, count)
    #else
        Darwin.write(descriptor, buffer, count)
    #endif
}
