extension ModelFile {
    /// Checks the header's methods and the placement of every section before any section is read.
    func verifyHeader(headerEnd: UInt64) throws {
        var names = Set<String>()
        for section in header.sections {
            guard names.insert(section.name).inserted else {
                throw ModelFileError(.malformedHeader, "section \(section.name) appears twice")
            }
        }
        var methodNames = Set<String>()
        for method in header.methods {
            guard methodNames.insert(method.name).inserted else {
                throw ModelFileError(.malformedHeader, "method \(method.name) appears twice")
            }
            for name in method.sections where !names.contains(name) {
                throw ModelFileError(.malformedHeader, "method \(method.name) names missing section \(name)")
            }
        }
        guard header.methods.isEmpty || methodNames.contains(header.defaultMethod) else {
            throw ModelFileError(.malformedHeader, "default method \(header.defaultMethod) is not in the file")
        }

        // Sections follow the header in offset order; every byte between them is zero padding and the file
        // ends where the last section ends, so that no byte of the file escapes a checksum or a check.
        var previousEnd = headerEnd
        for section in header.sections.sorted(by: { $0.offset < $1.offset }) {
            let (end, overflow) = section.offset.addingReportingOverflow(section.length)
            guard section.offset % UInt64(ModelFileFormat.alignment) == 0, section.offset >= previousEnd,
                !overflow
            else {
                throw ModelFileError(
                    .sectionOutOfBounds, "section \(section.name) at \(section.offset) is misaligned or overlaps")
            }
            guard end <= UInt64(byteCount) else {
                throw ModelFileError(
                    .truncated, "section \(section.name) ends at \(end), past the file's \(byteCount) bytes")
            }
            try verifyPadding(from: previousEnd, to: section.offset)
            previousEnd = end
        }
        guard previousEnd == UInt64(byteCount) else {
            throw ModelFileError(
                .sectionOutOfBounds, "\(UInt64(byteCount) - previousEnd) bytes follow the last section")
        }
    }

    /// Throws unless the bytes `start..<end` are all zero.
    private func verifyPadding(from start: UInt64, to end: UInt64) throws {
        let padding = mapping.bytes(at: start, length: end - start)
        guard padding.allSatisfy({ $0 == 0 }) else {
            throw ModelFileError(.sectionOutOfBounds, "non-zero bytes in the padding at \(start)..<\(end)")
        }
    }

    /// Checks that a section's size agrees with its kind and counts, its checksum, and its internal offsets.
    func verifySection(_ section: ModelSectionEntry) throws {
        if let expectedLength = try expectedLength(of: section), expectedLength != section.length {
            throw inconsistent(section, "is \(section.length) bytes; its counts need \(expectedLength)")
        }

        let bytes = mapping.bytes(at: section.offset, length: section.length)
        guard ModelFileDigest.sha256Hex(bytes) == section.sha256 else {
            throw ModelFileError(.checksumMismatch, "section \(section.name) checksum does not match")
        }

        switch section.kind {
        case .strings:
            let count = Int(section.count)
            let textLength = section.length - (section.count + 1) * 8
            try verifyOffsets(section, at: Int(section.offset), count: count, last: textLength)
        case .csrFloat32:
            guard section.cols <= UInt64(UInt32.max) else { throw inconsistent(section, "has too many columns") }
            let rows = Int(section.rows)
            try verifyOffsets(section, at: Int(section.offset), count: rows, last: section.count)
            let indices = Int(section.offset) + (rows + 1) * 8
            for position in 0..<Int(section.count) {
                let column = mapping.load(UInt32.self, at: indices + position * 4)
                guard UInt64(column) < section.cols else {
                    throw inconsistent(section, "column \(column) is out of range 0..<\(section.cols)")
                }
            }
        case .float32, .uint32, .bytes:
            break
        }
    }

    /// The exact byte length a section's kind and counts imply, or nil where the kind leaves it open
    /// (strings: only a minimum); throws when the counts are absurd or the section is too short.
    private func expectedLength(of section: ModelSectionEntry) throws -> UInt64? {
        func multiply(_ a: UInt64, _ b: UInt64) throws -> UInt64 {
            let (product, overflow) = a.multipliedReportingOverflow(by: b)
            guard !overflow else { throw inconsistent(section, "counts overflow") }
            return product
        }
        switch section.kind {
        case .strings:
            guard section.count < UInt64(Int32.max), section.length >= (section.count + 1) * 8 else {
                throw inconsistent(section, "is too short for \(section.count) string offsets")
            }
            return nil
        case .float32:
            guard try multiply(section.rows, section.cols) == section.count else {
                throw inconsistent(section, "has \(section.count) values, not \(section.rows)x\(section.cols)")
            }
            return try multiply(section.count, 4)
        case .uint32:
            return try multiply(section.count, 4)
        case .csrFloat32:
            guard section.rows < UInt64(Int32.max), section.count < UInt64(Int.max / 8) else {
                throw inconsistent(section, "counts overflow")
            }
            return (section.rows + 1) * 8 + section.count * 8
        case .bytes:
            return section.count
        }
    }

    /// Checks `count + 1` UInt64 offsets at `start`: the first is 0, they never decrease, the last is `last`.
    private func verifyOffsets(_ section: ModelSectionEntry, at start: Int, count: Int, last: UInt64) throws {
        var previous: UInt64 = 0
        for index in 0...count {
            let value = mapping.load(UInt64.self, at: start + index * 8)
            guard (index == 0 && value == 0) || (index > 0 && value >= previous) else {
                throw inconsistent(section, "offset \(index) is \(value), out of order")
            }
            previous = value
        }
        guard previous == last else {
            throw inconsistent(section, "last offset is \(previous); expected \(last)")
        }
    }

    private func inconsistent(_ section: ModelSectionEntry, _ message: String) -> ModelFileError {
        ModelFileError(.inconsistentSection, "section \(section.name) \(message)")
    }
}
