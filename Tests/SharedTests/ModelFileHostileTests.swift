import Foundation
import Testing

@testable import Shared

/// Rewrites the header of an encoded file (and optionally a section's bytes) and re-seals the checksums, so a
/// test can build files whose checksums are right but whose contents lie.
private func resealed(
    _ file: [UInt8], section: String? = nil, editSection: (inout [UInt8]) -> Void = { _ in },
    editHeader: (inout ModelFileHeader) -> Void
) throws -> [UInt8] {
    var bytes = file
    let length = Int(UInt64(littleEndian: bytes[24..<32].withUnsafeBytes { $0.loadUnaligned(as: UInt64.self) }))
    var header = try JSONDecoder().decode(ModelFileHeader.self, from: Data(bytes[64..<64 + length]))
    if let name = section, let index = header.sections.firstIndex(where: { $0.name == name }) {
        let entry = header.sections[index]
        var content = Array(bytes[Int(entry.offset)..<Int(entry.offset + entry.length)])
        editSection(&content)
        bytes.replaceSubrange(Int(entry.offset)..<Int(entry.offset + entry.length), with: content)
        header.sections[index].sha256 = ModelFileDigest.sha256Hex(content)
    }
    header.parameters["padding"] = nil
    editHeader(&header)

    let json = try ModelFileWriter.encodeHeader(header)
    precondition(json.count <= length, "the re-sealed header must fit where the old one was")
    var preamble = Array(bytes[0..<24])
    ModelFileWriter.appendLittleEndian(UInt64(json.count), to: &preamble)
    preamble += json.withUnsafeBytes { ModelFileDigest.sha256($0) }
    bytes.replaceSubrange(0..<64, with: preamble)
    bytes.replaceSubrange(64..<64 + length, with: json + [UInt8](repeating: 0, count: length - json.count))
    return bytes
}

private func code(of bytes: [UInt8]) -> ModelFileError.Code? {
    do {
        _ = try ModelFile(bytes: bytes)
        return nil
    } catch let error as ModelFileError {
        return error.code
    } catch {
        return .io
    }
}

@Test func theSampleFileItselfVerifies() throws {
    let bytes = try sampleModelWriter().encoded()
    #expect(code(of: bytes) == nil)
    #expect(code(of: try resealed(bytes) { _ in }) == nil)
}

@Test func everyTruncationIsATypedError() throws {
    let bytes = try sampleModelWriter().encoded()
    for length in 0..<bytes.count {
        #expect(code(of: Array(bytes[0..<length])) != nil, "prefix of \(length) bytes was accepted")
    }
    #expect(code(of: Array(bytes[0..<10])) == .truncated)
    #expect(code(of: Array(bytes.dropLast())) == .truncated)
}

@Test func everySingleFlippedByteIsDetected() throws {
    let bytes = try sampleModelWriter().encoded()
    for position in bytes.indices {
        var damaged = bytes
        damaged[position] ^= 0x20
        #expect(code(of: damaged) != nil, "flipped byte at \(position) was accepted")
    }
}

@Test func trailingBytesAreRejected() throws {
    #expect(code(of: try sampleModelWriter().encoded() + [0]) == .sectionOutOfBounds)
}

@Test func wrongMagicAndVersionAreNamed() throws {
    var bytes = try sampleModelWriter().encoded()
    var wrongMagic = bytes
    wrongMagic[0] = UInt8(ascii: "P")
    #expect(code(of: wrongMagic) == .badMagic)
    bytes[8] = 2
    #expect(code(of: bytes) == .unsupportedVersion)
    #expect(code(of: Array("not a model file at all, just some text that is long enough to pass".utf8)) == .badMagic)
}

@Test func hugeCountsAreRefusedWithoutAllocating() throws {
    let bytes = try sampleModelWriter().encoded()
    let cases: [(String, (inout ModelSectionEntry) -> Void)] = [
        ("images.caption", { $0.count = UInt64.max - 1 }),
        ("images.caption", { $0.count = 1 << 40 }),
        (
            "tfidf.idf",
            {
                $0.count = 1 << 62
                $0.rows = 1 << 62
                $0.cols = 1
            }
        ),
        (
            "tfidf.idf",
            {
                $0.rows = 1 << 32
                $0.cols = 1 << 32
                $0.count = 0
            }
        ),
        ("tfidf.documents", { $0.rows = UInt64.max }),
        ("tfidf.documents", { $0.count = UInt64.max / 4 }),
        ("ann.graph", { $0.count = UInt64.max }),
        ("opaque", { $0.count = 1 << 50 }),
    ]
    for (name, edit) in cases {
        let hostile = try resealed(bytes) { header in
            edit(&header.sections[header.sections.firstIndex { $0.name == name }!])
        }
        #expect(code(of: hostile) == .inconsistentSection, "section \(name)")
    }
}

@Test func sectionsOutsideTheFileOrOverlappingAreRefused() throws {
    let bytes = try sampleModelWriter().encoded()
    let outside = try resealed(bytes) { $0.sections[$0.sections.count - 1].offset = UInt64.max - 63 }
    #expect(code(of: outside) == .truncated)
    let overlapping = try resealed(bytes) { $0.sections[1].offset = $0.sections[0].offset }
    #expect(code(of: overlapping) == .sectionOutOfBounds)
    let misaligned = try resealed(bytes) { $0.sections[0].offset += 8 }
    #expect(code(of: misaligned) == .sectionOutOfBounds)
    let longer = try resealed(bytes) { $0.sections[$0.sections.count - 1].length += 1 }
    #expect(code(of: longer) != nil)
}

@Test func lyingSectionContentsAreRefused() throws {
    let bytes = try sampleModelWriter().encoded()
    let unorderedStrings = try resealed(bytes, section: "images.caption", editSection: { $0[8] = 200 }) { _ in }
    #expect(code(of: unorderedStrings) == .inconsistentSection)
    let badColumn = try resealed(bytes, section: "tfidf.documents", editSection: { $0[5 * 8] = 9 }) { _ in }
    #expect(code(of: badColumn) == .inconsistentSection)
    let badIndptr = try resealed(bytes, section: "tfidf.documents", editSection: { $0[8] = 3 }) { _ in }
    #expect(code(of: badIndptr) == .inconsistentSection)
}

@Test func inconsistentHeadersAreRefused() throws {
    let bytes = try sampleModelWriter().encoded()
    #expect(code(of: try resealed(bytes) { $0.defaultMethod = "bm25" }) == .malformedHeader)
    #expect(code(of: try resealed(bytes) { $0.methods[0].sections.append("ghost") }) == .malformedHeader)
    #expect(code(of: try resealed(bytes) { $0.sections[1].name = $0.sections[0].name }) == .malformedHeader)

    var garbage = try sampleModelWriter().encoded()
    let length = Int(garbage[24]) | Int(garbage[25]) << 8
    garbage.replaceSubrange(64..<64 + length, with: [UInt8](repeating: UInt8(ascii: "{"), count: length))
    let digest = Array(garbage[64..<64 + length]).withUnsafeBytes { ModelFileDigest.sha256($0) }
    garbage.replaceSubrange(32..<64, with: digest)
    #expect(code(of: garbage) == .malformedHeader)
}

@Test func missingFileIsAnIOError() {
    let error = #expect(throws: ModelFileError.self) { try ModelFile(path: "/nonexistent/model.imgrec") }
    #expect(error?.code == .io)
}
