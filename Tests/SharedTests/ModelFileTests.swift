import Foundation
import Testing

@testable import Shared

/// A small file with one section of every kind and two methods.
func sampleModelWriter() throws -> ModelFileWriter {
    var writer = ModelFileWriter(
        parameters: ["image_base_url": "http://sampler:8081", "padding": String(repeating: "x", count: 300)],
        defaultMethod: "tfidf", createdAt: "2025-01-02T03:04:05Z")
    try writer.addStrings("images.caption", ["a dog", "", "café ☕ 東京", "two brown dogs"])
    try writer.addFloat32("tfidf.idf", [1.5, 2.25, -0.5], rows: 3, cols: 1)
    try writer.addFloat32("minilm.vectors", (0..<8).map { Float($0) / 8 }, rows: 4, cols: 2)
    try writer.addUInt32("ann.graph", [7, 0, 4_000_000_000])
    try writer.addSparseMatrix(
        "tfidf.documents",
        SparseMatrix(cols: 3, rows: [[(0, 0.6), (2, 0.8)], [], [(1, 1)], [(0, 0.5), (1, 0.5), (2, 0.7071)]]))
    try writer.addBytes("opaque", [1, 2, 3])
    try writer.addMethod(ModelMethodEntry(name: "tfidf", sections: ["images.caption", "tfidf.idf", "tfidf.documents"]))
    try writer.addMethod(
        ModelMethodEntry(
            name: "minilm", parameters: ["dimensions": "2"], sections: ["images.caption", "minilm.vectors"]))
    return writer
}

/// A fresh empty directory under the temporary directory.
private func modelFileTestDirectory() throws -> String {
    let path = NSTemporaryDirectory() + "imgrec-modelfile-\(UUID().uuidString)"
    try FileManager.default.createDirectory(atPath: path, withIntermediateDirectories: true)
    return path
}

@Test func modelFileRoundTripsEverySectionKind() throws {
    let directory = try modelFileTestDirectory()
    defer { try? FileManager.default.removeItem(atPath: directory) }
    let path = directory + "/model.imgrec"
    try sampleModelWriter().write(to: path)

    let file = try ModelFile(path: path)
    #expect(file.formatVersion == 1)
    #expect(file.header.defaultMethod == "tfidf")
    #expect(file.header.methods.map(\.name) == ["tfidf", "minilm"])
    #expect(file.header.method(named: "minilm")?.parameters["dimensions"] == "2")
    #expect(file.header.parameters["image_base_url"] == "http://sampler:8081")
    #expect(file.header.createdAt == "2025-01-02T03:04:05Z")
    #expect(Array(try file.strings("images.caption")) == ["a dog", "", "café ☕ 東京", "two brown dogs"])
    #expect(Array(try file.float32("tfidf.idf")) == [1.5, 2.25, -0.5])

    let vectors = try file.float32("minilm.vectors")
    #expect(vectors.rows == 4 && vectors.cols == 2)
    #expect(Array(vectors.row(3)) == [0.75, 0.875])
    #expect(Array(try file.uint32("ann.graph")) == [7, 0, 4_000_000_000])
    #expect(try file.bytes("opaque") == [1, 2, 3])

    let matrix = try file.sparseMatrix("tfidf.documents")
    #expect(matrix.rows == 4 && matrix.cols == 3)
    #expect(Array(matrix.row(0).indices) == [0, 2] && Array(matrix.row(0).values) == [0.6, 0.8])
    #expect(matrix.row(1).indices.isEmpty)
    #expect(Array(matrix.row(3).indices) == [0, 1, 2])
}

@Test func sectionsAreAlignedAndViewsPointIntoTheMapping() throws {
    let file = try ModelFile(bytes: try sampleModelWriter().encoded())
    for section in file.header.sections {
        #expect(section.offset % 64 == 0)
    }
    let vectors = try file.float32("minilm.vectors")
    let start = UnsafeRawPointer(vectors.buffer.baseAddress!)
    #expect(start == file.mapping.base + Int(file.section(named: "minilm.vectors")!.offset))
}

@Test func missingOrMistypedSectionsAreTypedErrors() throws {
    let file = try ModelFile(bytes: try sampleModelWriter().encoded())
    #expect(throws: ModelFileError.self) { try file.strings("nope") }
    let error = try #require(throws: ModelFileError.self) { try file.float32("images.caption") }
    #expect(error.code == .inconsistentSection)
}

@Test func writingReplacesAtomicallyAndLeavesNoTemporaryFiles() throws {
    let directory = try modelFileTestDirectory()
    defer { try? FileManager.default.removeItem(atPath: directory) }
    let path = directory + "/model.imgrec"
    try sampleModelWriter().write(to: path)
    let old = try ModelFile(path: path)

    var writer = ModelFileWriter(createdAt: "2026-01-01T00:00:00Z")
    try writer.addStrings("images.caption", ["replaced"])
    try writer.addMethod(ModelMethodEntry(name: "tfidf", sections: ["images.caption"]))
    try writer.write(to: path)

    // The old mapping stays readable; a new open sees the new file.
    #expect(Array(try old.strings("images.caption")).count == 4)
    #expect(Array(try ModelFile(path: path).strings("images.caption")) == ["replaced"])
    #expect(try FileManager.default.contentsOfDirectory(atPath: directory) == ["model.imgrec"])
}

@Test func aLoadedModelIsUntouchedWhenItsFileIsRewrittenInPlace() throws {
    let directory = try modelFileTestDirectory()
    defer { try? FileManager.default.removeItem(atPath: directory) }
    let path = directory + "/model.imgrec"
    try sampleModelWriter().write(to: path)
    let loaded = try ModelFile(path: path)
    let size = try #require(try FileManager.default.attributesOfItem(atPath: path)[.size] as? Int)

    // Overwrite the same inode (no rename) with noise, then cut it short: a mapping would see both.
    var generator = SystemRandomNumberGenerator()
    let noise = (0..<size).map { _ in UInt8.random(in: 0...255, using: &generator) }
    let handle = try #require(FileHandle(forWritingAtPath: path))
    try handle.write(contentsOf: noise)
    try handle.truncate(atOffset: 100)
    try handle.close()

    #expect(Array(try loaded.strings("images.caption")) == ["a dog", "", "café ☕ 東京", "two brown dogs"])
    #expect(Array(try loaded.sparseMatrix("tfidf.documents").row(3).indices) == [0, 1, 2])
    #expect(Array(try loaded.float32("minilm.vectors").row(3)) == [0.75, 0.875])
    #expect(throws: ModelFileError.self) { try ModelFile(path: path) }
}

@Test func writerRefusesInconsistentInput() throws {
    var writer = ModelFileWriter()
    try writer.addStrings("a", ["x"])
    #expect(throws: ModelFileError.self) { try writer.addStrings("a", ["y"]) }
    #expect(throws: ModelFileError.self) { try writer.addFloat32("f", [1, 2, 3], rows: 2, cols: 2) }
    #expect(throws: ModelFileError.self) { try writer.addMethod(ModelMethodEntry(name: "m", sections: ["b"])) }
    let bad = SparseMatrix(rows: 1, cols: 2, indptr: [0, 1], indices: [5], values: [1])
    #expect(throws: ModelFileError.self) { try writer.addSparseMatrix("s", bad) }
    writer.defaultMethod = "absent"
    try writer.addMethod(ModelMethodEntry(name: "m", sections: ["a"]))
    #expect(throws: ModelFileError.self) { try writer.encoded() }
}

@Test func inspectionNamesMethodsParametersAndSections() throws {
    let directory = try modelFileTestDirectory()
    defer { try? FileManager.default.removeItem(atPath: directory) }
    let path = directory + "/model.imgrec"
    try sampleModelWriter().write(to: path)

    let text = try ModelFile.inspect(path: path)
    #expect(text.contains("format version: 1"))
    #expect(text.contains("default method: tfidf"))
    #expect(text.contains("  minilm: sections images.caption, minilm.vectors"))
    #expect(text.contains("    dimensions = 2"))
    #expect(text.contains("image_base_url = http://sampler:8081"))
    #expect(text.contains("tfidf.documents"))
    #expect(text.contains("csr_float32"))
}

@Test func sparseMatrixTransposes() {
    let matrix = SparseMatrix(cols: 3, rows: [[(0, 1), (2, 2)], [(2, 3)]])
    let transposed = matrix.transposed()
    #expect(transposed.rows == 3 && transposed.cols == 2)
    #expect(transposed.indptr == [0, 1, 1, 3])
    #expect(transposed.indices == [0, 0, 1])
    #expect(transposed.values == [1, 2, 3])
}
