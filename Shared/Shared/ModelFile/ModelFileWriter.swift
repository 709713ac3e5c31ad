import Foundation

/// Collects the sections and methods of a model file and writes it atomically.
///
/// ```swift
/// var writer = ModelFileWriter(parameters: ["image_base_url": url])
/// try writer.addStrings("images.id", ids)
/// try writer.addMethod(ModelMethodEntry(name: "tfidf", sections: ["images.id"]))
/// try writer.write(to: path)
/// ```
public struct ModelFileWriter: Sendable {
    /// The method searches use when they name none; defaults to the first method added.
    public var defaultMethod: String?
    /// Build parameters shared by every method.
    public var parameters: [String: String]
    /// The creation time recorded in the header, ISO 8601 UTC.
    public var createdAt: String

    private(set) var sections: [PendingSection] = []
    private(set) var methods: [ModelMethodEntry] = []

    /// A section encoded to its bytes, waiting for its offset.
    struct PendingSection: Sendable {
        var name: String
        var kind: ModelSectionKind
        var count: UInt64
        var rows: UInt64
        var cols: UInt64
        var bytes: [UInt8]
    }

    /// Creates an empty writer.
    public init(
        parameters: [String: String] = [:], defaultMethod: String? = nil,
        createdAt: String = Date().formatted(.iso8601)
    ) {
        self.parameters = parameters
        self.defaultMethod = defaultMethod
        self.createdAt = createdAt
    }

    /// Names of the sections added so far.
    public var sectionNames: [String] { sections.map(\.name) }

    /// Adds a string table (image ids, files, captions, a vocabulary).
    public mutating func addStrings(_ name: String, _ values: [String]) throws {
        try append(name, .strings, count: values.count, rows: 0, cols: 0, bytes: Self.encodeStrings(values))
    }

    /// Adds a row-major Float32 matrix of `rows * cols` values (a vector is `cols == 1`).
    public mutating func addFloat32(_ name: String, _ values: [Float], rows: Int, cols: Int) throws {
        guard rows >= 0, cols >= 0, rows.multipliedReportingOverflow(by: cols) == (values.count, false) else {
            throw ModelFileError(.invalidInput, "section \(name): \(values.count) values do not fill \(rows)x\(cols)")
        }
        var bytes = [UInt8]()
        bytes.reserveCapacity(values.count * 4)
        for value in values { Self.appendLittleEndian(value.bitPattern, to: &bytes) }
        try append(name, .float32, count: values.count, rows: rows, cols: cols, bytes: bytes)
    }

    /// Adds a vector of UInt32 values (room for inverted indexes, graphs and the like).
    public mutating func addUInt32(_ name: String, _ values: [UInt32]) throws {
        var bytes = [UInt8]()
        bytes.reserveCapacity(values.count * 4)
        for value in values { Self.appendLittleEndian(value, to: &bytes) }
        try append(name, .uint32, count: values.count, rows: 0, cols: 0, bytes: bytes)
    }

    /// Adds a sparse Float32 matrix in CSR layout.
    public mutating func addSparseMatrix(_ name: String, _ matrix: SparseMatrix) throws {
        try matrix.validate()
        var bytes = [UInt8]()
        bytes.reserveCapacity((matrix.rows + 1) * 8 + matrix.values.count * 8)
        for offset in matrix.indptr { Self.appendLittleEndian(UInt64(offset), to: &bytes) }
        for column in matrix.indices { Self.appendLittleEndian(column, to: &bytes) }
        for value in matrix.values { Self.appendLittleEndian(value.bitPattern, to: &bytes) }
        try append(
            name, .csrFloat32, count: matrix.values.count, rows: matrix.rows, cols: matrix.cols, bytes: bytes)
    }

    /// Adds opaque bytes that only the method reading them interprets.
    public mutating func addBytes(_ name: String, _ bytes: [UInt8]) throws {
        try append(name, .bytes, count: bytes.count, rows: 0, cols: 0, bytes: bytes)
    }

    /// Adds a method; every section it names must have been added already.
    public mutating func addMethod(_ method: ModelMethodEntry) throws {
        guard !methods.contains(where: { $0.name == method.name }) else {
            throw ModelFileError(.invalidInput, "method \(method.name) added twice")
        }
        for name in method.sections where !sections.contains(where: { $0.name == name }) {
            throw ModelFileError(.invalidInput, "method \(method.name) names missing section \(name)")
        }
        methods.append(method)
    }

    private mutating func append(
        _ name: String, _ kind: ModelSectionKind, count: Int, rows: Int, cols: Int, bytes: [UInt8]
    ) throws {
        guard !name.isEmpty, !sections.contains(where: { $0.name == name }) else {
            throw ModelFileError(.invalidInput, "section name \"\(name)\" is empty or already used")
        }
        sections.append(
            PendingSection(
                name: name, kind: kind, count: UInt64(count), rows: UInt64(rows), cols: UInt64(cols),
                bytes: bytes))
    }
}
