extension ModelFile {
    /// The `strings` section named `name`, read in place.
    public func strings(_ name: String) throws -> StringTable {
        let section = try entry(name, kind: .strings)
        let offsets = Int(section.offset)
        return StringTable(
            mapping: mapping, offsets: offsets, text: offsets + (Int(section.count) + 1) * 8,
            count: Int(section.count))
    }

    /// The `float32` section named `name`, read in place.
    public func float32(_ name: String) throws -> Float32Array {
        let section = try entry(name, kind: .float32)
        return Float32Array(
            mapping: mapping, buffer: typed(Float.self, at: Int(section.offset), count: Int(section.count)),
            rows: Int(section.rows), cols: Int(section.cols))
    }

    /// The `uint32` section named `name`, read in place.
    public func uint32(_ name: String) throws -> UInt32Array {
        let section = try entry(name, kind: .uint32)
        return UInt32Array(
            mapping: mapping, buffer: typed(UInt32.self, at: Int(section.offset), count: Int(section.count)))
    }

    /// The `csr_float32` section named `name`, read in place.
    public func sparseMatrix(_ name: String) throws -> SparseMatrixView {
        let section = try entry(name, kind: .csrFloat32)
        let indptr = Int(section.offset)
        let indices = indptr + (Int(section.rows) + 1) * 8
        let values = indices + Int(section.count) * 4
        return SparseMatrixView(
            mapping: mapping, indptr: indptr, indices: typed(UInt32.self, at: indices, count: Int(section.count)),
            values: typed(Float.self, at: values, count: Int(section.count)), rows: Int(section.rows),
            cols: Int(section.cols))
    }

    /// A copy of the `bytes` section named `name`.
    public func bytes(_ name: String) throws -> [UInt8] {
        let section = try entry(name, kind: .bytes)
        return Array(mapping.bytes(at: section.offset, length: section.length))
    }

    private func entry(_ name: String, kind: ModelSectionKind) throws -> ModelSectionEntry {
        guard let section = section(named: name) else {
            throw ModelFileError(.missing, "no section \(name) in \(path)")
        }
        guard section.kind == kind else {
            throw ModelFileError(
                .inconsistentSection, "section \(name) is \(section.kind.rawValue), not \(kind.rawValue)")
        }
        return section
    }

    /// A typed view of `count` values at `offset`; sections are 64-byte aligned and each array within one
    /// starts at a multiple of its element size, so the memory is suitably aligned.
    private func typed<T>(_ type: T.Type, at offset: Int, count: Int) -> UnsafeBufferPointer<T> {
        let start = (mapping.base + offset).bindMemory(to: T.self, capacity: count)
        return UnsafeBufferPointer(start: start, count: count)
    }
}
