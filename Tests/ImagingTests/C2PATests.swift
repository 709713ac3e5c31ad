import Foundation
import Testing

@testable import Imaging

@Suite("C2PA: JUMBF, CBOR and manifest stores")
struct C2PATests {
    typealias Support = MetadataTestSupport

    static func c2paFixture(_ name: String) throws -> [UInt8] {
        try Support.bytes(at: Support.repositoryRoot.appendingPathComponent("Tests/Fixtures/c2pa/\(name)"))
    }

    static func box(_ type: String, _ payload: [UInt8]) -> [UInt8] {
        Support.u32(UInt32(8 + payload.count), bigEndian: true) + Array(type.utf8) + payload
    }

    static func superbox(_ label: String, _ children: [[UInt8]]) -> [UInt8] {
        let description = box("jumd", [UInt8](repeating: 0x11, count: 16) + [0x03] + Array(label.utf8) + [0])
        return box("jumb", description + children.joined())
    }

    /// A C2PA manifest superbox (content type `c2ma`).
    static func manifest(_ label: String, _ children: [[UInt8]]) -> [UInt8] {
        let contentType = Array("c2ma".utf8) + [0x00, 0x11, 0x00, 0x10, 0x80, 0x00, 0x00, 0xAA, 0x00, 0x38, 0x9B, 0x71]
        let description = box("jumd", contentType + [0x03] + Array(label.utf8) + [0])
        return box("jumb", description + children.joined())
    }

    @Test func readsNestedSuperboxesAndContentBoxes() {
        let bytes = Self.superbox("c2pa", [Self.superbox("m1", [Self.box("cbor", [0xF6])]), Self.box("json", [])])
        var warnings: [String] = []
        let boxes = JUMBFReader.boxes(bytes, warnings: &warnings)
        #expect(warnings.isEmpty)
        #expect(boxes.count == 1)
        #expect(boxes[0].label == "c2pa")
        #expect(boxes[0].contentType == [UInt8](repeating: 0x11, count: 16))
        #expect(boxes[0].children.map(\.type) == ["jumb", "json"])
        #expect(boxes[0].child(labelled: "m1")?.children == [JUMBFBox(type: "cbor", payload: [0xF6])])
    }

    @Test func readsXLBoxAndZeroLengthBoxes() {
        let payload: [UInt8] = [1, 2, 3]
        let extended = [0, 0, 0, 1] + Array("cbor".utf8) + [0, 0, 0, 0, 0, 0, 0, 19] + payload
        let toEnd = [0, 0, 0, 0] + Array("json".utf8) + payload
        var warnings: [String] = []
        let boxes = JUMBFReader.boxes(extended + toEnd, warnings: &warnings)
        #expect(warnings.isEmpty)
        #expect(boxes == [JUMBFBox(type: "cbor", payload: payload), JUMBFBox(type: "json", payload: payload)])
    }

    @Test(
        arguments: [
            // (bytes, what the warning says)
            ([0, 0, 0, 9] + Array("jumb".utf8), "declares"),  // LBox past the end
            ([0, 0, 0, 4] + Array("cbor".utf8), "declares"),  // LBox smaller than the header
            ([0, 0, 0, 1] + Array("cbor".utf8) + [0xFF, 0, 0, 0, 0, 0, 0, 0], "declares"),  // XLBox huge
            ([0, 0, 0, 1] + Array("cbor".utf8), "XLBox"),
            ([0, 0, 0], "truncated"),
            ([0, 0, 0, 16] + Array("jumb".utf8) + [0, 0, 0, 8] + Array("json".utf8), "description"),
        ] as [([UInt8], String)])
    func malformedBoxesStopWithAWarning(bytes: [UInt8], warning: String) {
        var warnings: [String] = []
        _ = JUMBFReader.boxes(bytes, warnings: &warnings)
        #expect(warnings.count == 1 && warnings[0].hasPrefix("c2pa: ") && warnings[0].contains(warning), "\(warnings)")
    }

    @Test func decodesCBORItems() throws {
        #expect(try CBORDecoder.decode([0x18, 0x64]) == .unsigned(100))
        #expect(try CBORDecoder.decode([0x38, 0x63]) == .negative(99))
        #expect(try CBORDecoder.decode([0x1B] + [UInt8](repeating: 0xFF, count: 8)) == .unsigned(.max))
        #expect(try CBORDecoder.decode([0x43, 1, 2, 3]) == .bytes([1, 2, 3]))
        #expect(try CBORDecoder.decode([0x62, 0xC3, 0xA9, 0x00]) == .text("é"))
        #expect(try CBORDecoder.decode([0x5F, 0x41, 1, 0x42, 2, 3, 0xFF]) == .bytes([1, 2, 3]))
        #expect(try CBORDecoder.decode([0x7F, 0x61, 0x61, 0x61, 0x62, 0xFF]) == .text("ab"))
        #expect(
            try CBORDecoder.decode([0x9F, 0x01, 0x82, 0x02, 0x03, 0xFF])
                == .array([.unsigned(1), .array([.unsigned(2), .unsigned(3)])]))
        #expect(try CBORDecoder.decode([0xBF, 0x61, 0x61, 0xF5, 0xFF])["a"] == .bool(true))
        #expect(try CBORDecoder.decode([0xA1, 0x01, 0xF6]) == .map([(.unsigned(1), .null)]))
        #expect(try CBORDecoder.decode([0xC0, 0x61, 0x7A]) == .text("z"))  // tag 0 dropped
        #expect(try CBORDecoder.decode([0xF9, 0x3C, 0x00]) == .double(1))
        #expect(try CBORDecoder.decode([0xF9, 0xC4, 0x00]) == .double(-4))
        #expect(try CBORDecoder.decode([0xFA, 0x47, 0xC3, 0x50, 0x00]) == .double(100_000))
        #expect(try CBORDecoder.decode([0xFB, 0x3F, 0xF1, 0x99, 0x99, 0x99, 0x99, 0x99, 0x9A]) == .double(1.1))
        #expect(try CBORDecoder.decode([0xF7]) == .undefined)
        #expect(try CBORDecoder.decode([0xF8, 0x20]) == .simple(32))
    }

    @Test(
        arguments: [
            // (bytes, error)
            ([], CBORDecodingError.truncated),
            ([0x7B, 0x80, 0, 0, 0, 0, 0, 0, 0, 0x61], .overLimit),  // a text string of 2^63 bytes
            ([0x5B, 0, 0, 0, 0, 0, 0, 0x10, 0], .truncated),  // 4096 bytes declared, none there
            ([0x9B, 0x7F, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF], .truncated),  // an array of 2^63 - 1 items
            ([UInt8](repeating: 0x9F, count: 100_000), .overLimit),  // nested indefinite arrays
            ([0x5F] + [UInt8](repeating: 0x40, count: 100_000) + [0xFF], .overLimit),  // endless empty chunks
            ([0x7F, 0x41, 0x61, 0xFF], .malformed),  // a byte chunk in a text string
            ([0x62, 0xC3, 0x28], .malformed),  // not UTF-8
            ([0xFF], .malformed),  // a stray break
            ([0x1C], .malformed),  // reserved additional information
            ([0x82, 0x01], .truncated),
        ] as [([UInt8], CBORDecodingError)])
    func hostileCBORFailsCleanly(bytes: [UInt8], error: CBORDecodingError) {
        #expect(throws: error) { try CBORDecoder.decode(bytes) }
    }

    @Test func stripsRepeatSuffixesAndURIPaths() {
        #expect(C2PAManifestReader.baseLabel("c2pa.actions.v2__12") == "c2pa.actions.v2")
        #expect(C2PAManifestReader.baseLabel("c2pa.actions") == "c2pa.actions")
        #expect(C2PAManifestReader.baseLabel("c2pa.actions__x") == "c2pa.actions__x")
        #expect(
            C2PAManifestReader.code(ofURI: "http://cv.iptc.org/newscodes/digitalsourcetype/digitalCapture")
                == "digitalCapture")
    }

    @Test(arguments: [
        ("trainedAlgorithmicMedia.jpg", "jpeg:APP11", ["trainedAlgorithmicMedia"]),
        ("digitalCapture.jpg", "jpeg:APP11", ["digitalCapture"]),
        ("computationalCapture.png", "png:caBX", ["computationalCapture"]),
        ("compositeWithTrainedAlgorithmicMedia.png", "png:caBX", ["compositeWithTrainedAlgorithmicMedia"]),
        ("trainedAlgorithmicMedia.webp", "webp:C2PA", ["trainedAlgorithmicMedia"]),
        ("no_source_type.jpg", "jpeg:APP11", []),
        ("two_manifests_active_ai.jpg", "jpeg:APP11", ["trainedAlgorithmicMedia"]),
        ("signed_trainedAlgorithmicMedia.jpg", "jpeg:APP11", ["trainedAlgorithmicMedia"]),
    ])
    func readsTheActiveManifestOfEachFixture(name: String, source: String, types: [String]) throws {
        let metadata = try MetadataReader.read(try Self.c2paFixture(name))
        #expect(metadata.c2paSources == [source])
        #expect(metadata.c2paManifestParsed)
        #expect(metadata.c2paDigitalSourceTypes == types)
        #expect(metadata.warnings.isEmpty, "\(metadata.warnings)")
    }

    @Test(arguments: [
        ("hostile_truncated_box.png", false, "declares"),
        ("hostile_lbox_too_large.png", false, "declares"),
        ("hostile_xlbox_huge.png", false, "declares"),
        ("hostile_deep_nesting.png", false, "nested deeper than 16"),
        ("hostile_cbor_string_2e63.png", true, "not valid CBOR (overLimit)"),
        ("hostile_cbor_indefinite_nesting.png", true, "not valid CBOR (overLimit)"),
        ("hostile_cbor_indefinite_chunks.png", true, "not valid CBOR (overLimit)"),
    ])
    func hostileFixturesWarnAndDoNotCrash(name: String, parsed: Bool, warning: String) throws {
        let metadata = try MetadataReader.read(try Self.c2paFixture(name))
        #expect(metadata.hasC2PA)
        #expect(metadata.c2paManifestParsed == parsed)
        #expect(metadata.c2paDigitalSourceTypes.isEmpty)
        #expect(metadata.warnings.contains { $0.hasPrefix("c2pa: ") && $0.contains(warning) }, "\(metadata.warnings)")
    }

    @Test func aStoreBrokenBeforeItsActiveManifestIsNotUsed() throws {
        // A damaged description box in the first manifest (digitalCapture) stops the reader before the
        // active one (trainedAlgorithmicMedia): the first must not be taken for the active manifest.
        var bytes = try Self.c2paFixture("two_manifests_active_ai.jpg")
        let firstDescription = try #require(Self.offsets(of: Array("jumd".utf8), in: bytes).dropFirst().first)
        bytes[firstDescription + 3] = 0xE4
        let metadata = try MetadataReader.read(bytes)
        #expect(metadata.c2paDigitalSourceTypes.isEmpty && !metadata.c2paManifestParsed)
        #expect(metadata.warnings.contains { $0.contains("could not be read to its end") }, "\(metadata.warnings)")

        var nested = Self.superbox("c2pa", [Self.superbox("m1", []), Self.box("jumb", [0, 0])])
        var warnings: [String] = []
        #expect(JUMBFReader.boxes(nested, warnings: &warnings).first?.isComplete == false)
        nested = Self.superbox("c2pa", [Self.superbox("m1", [])])
        #expect(JUMBFReader.boxes(nested, warnings: &warnings).first?.isComplete == true)
    }

    @Test func noSingleByteDamageMakesTheEarlierCaptureManifestCount() throws {
        let bytes = try Self.c2paFixture("two_manifests_active_ai.jpg")
        for position in bytes.indices {
            for value: UInt8 in [0x00, 0xFF, bytes[position] ^ 0x10] where value != bytes[position] {
                var damaged = bytes
                damaged[position] = value
                guard let metadata = try? MetadataReader.read(damaged) else { continue }
                #expect(
                    !metadata.c2paDigitalSourceTypes.contains("digitalCapture"),
                    "byte \(position) set to \(value): \(metadata.c2paDigitalSourceTypes) \(metadata.warnings)")
            }
        }
    }

    static func offsets(of needle: [UInt8], in bytes: [UInt8]) -> [Int] {
        guard bytes.count >= needle.count else { return [] }
        return (0...(bytes.count - needle.count)).filter { bytes[$0..<($0 + needle.count)].elementsEqual(needle) }
    }

    @Test func everyTruncationOfASignedFileIsSafe() throws {
        let bytes = try Self.c2paFixture("signed_trainedAlgorithmicMedia.jpg")
        for length in stride(from: 0, through: bytes.count, by: 97) {
            _ = try? MetadataReader.read(Array(bytes.prefix(length)))
        }
    }

    @Test func jpegPacketsAreReassembledInSequenceOrder() throws {
        let store = Self.superbox("c2pa", [Self.manifest("m", [])])
        let header = Array(store[..<8])
        let body = Array(store[8...])
        func packet(_ sequence: UInt32, _ part: ArraySlice<UInt8>) -> (UInt8, [UInt8]) {
            (0xEB, Array("JP".utf8) + [0, 7] + Support.u32(sequence, bigEndian: true) + header + part)
        }
        let split = body.count / 2
        let swapped = try MetadataReader.read(Support.jpeg([packet(2, body[split...]), packet(1, body[..<split])]))
        #expect(swapped.c2paManifestParsed && swapped.warnings.isEmpty, "\(swapped.warnings)")

        let missing = try MetadataReader.read(Support.jpeg([packet(1, body[..<split]), packet(3, body[split...])]))
        #expect(!missing.c2paManifestParsed)
        #expect(missing.warnings == ["jpeg: APP11 JUMBF box 7 lacks packet 2; C2PA not parsed"])
    }

    @Test func jumbfOverTheSizeCapIsNotParsed() throws {
        let chunk = [UInt8](repeating: 0, count: 65_000)
        let packets = (1...UInt32(260)).map { sequence in
            let marked = sequence == 1 ? Array("jumbc2pa".utf8) : []
            return (UInt8(0xEB), Array("JP".utf8) + [0, 1] + Support.u32(sequence, bigEndian: true) + marked + chunk)
        }
        let jpeg = try MetadataReader.read(Support.jpeg(packets))
        #expect(!jpeg.c2paManifestParsed)
        #expect(jpeg.warnings == ["jpeg: APP11 JUMBF box 1 is over 16777216 bytes or 4096 packets; C2PA not parsed"])

        let png = try MetadataReader.read(Support.png([("caBX", [UInt8](repeating: 0, count: 16 << 20 + 1))]))
        #expect(png.hasC2PA && !png.c2paManifestParsed)
        #expect(png.warnings == ["c2pa: png:caBX holds over 16777216 bytes; not parsed"])
    }

    @Test func aLargeJUMBFBoxOfAnotherKindDoesNotHideTheC2PAStore() throws {
        let filler = (1...UInt32(260)).map { sequence in
            (
                UInt8(0xEB),
                Array("JP".utf8) + [0, 2] + Support.u32(sequence, bigEndian: true)
                    + [UInt8](repeating: 0, count: 65_000)
            )
        }
        let store = Self.superbox("c2pa", [Self.manifest("m", [])])
        let c2pa = (UInt8(0xEB), Array("JP".utf8) + [0, 7] + Support.u32(1, bigEndian: true) + store)
        let metadata = try MetadataReader.read(Support.jpeg(filler + [c2pa]))
        #expect(metadata.c2paManifestParsed && metadata.warnings.isEmpty, "\(metadata.warnings)")
    }

    @Test func everyStoreOfAFileIsRead() throws {
        // A capture store first, an AI one second: the second must not be ignored.
        let capture = try Self.chunkBody("caBX", of: Self.c2paFixture("computationalCapture.png"))
        let generated = try Self.chunkBody("caBX", of: Self.c2paFixture("compositeWithTrainedAlgorithmicMedia.png"))
        let png = try MetadataReader.read(Support.png([("caBX", capture), ("caBX", generated)]))
        #expect(png.c2paDigitalSourceTypes == ["computationalCapture", "compositeWithTrainedAlgorithmicMedia"])

        let store = { (label: String) in Self.superbox("c2pa", [Self.manifest(label, [])]) }
        let packets = [(UInt16(3), store("a")), (UInt16(9), store("b"))].map { instance, box in
            (
                UInt8(0xEB),
                Array("JP".utf8) + Support.u16(instance, bigEndian: true) + Support.u32(1, bigEndian: true) + box
            )
        }
        #expect(try MetadataReader.read(Support.jpeg(packets)).c2paManifestParsed)
    }

    /// The body of the first chunk of this type in a PNG.
    static func chunkBody(_ type: String, of png: [UInt8]) throws -> [UInt8] {
        var position = 8
        while position + 8 <= png.count {
            let length = png[position..<(position + 4)].reduce(0) { $0 << 8 | Int($1) }
            if png[(position + 4)..<(position + 8)].elementsEqual(type.utf8) {
                return Array(png[(position + 8)..<(position + 8 + length)])
            }
            position += 12 + length
        }
        throw CocoaError(.fileReadCorruptFile)
    }
}
