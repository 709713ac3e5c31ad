import Testing

@testable import Imaging

@Suite("Metadata reader: hostile input")
struct MetadataHostileInputTests {
    typealias Support = MetadataTestSupport

    @Test func everyTruncationOfTheFixturesIsSafe() throws {
        for name in ["real_camera_exif.jpg", "ai_a1111_usercomment.jpg", "ai_xmp_trainedAlgorithmicMedia.png"] {
            let bytes = try Support.fixture(name)
            for length in stride(from: 0, through: bytes.count, by: 7) {
                _ = try? MetadataReader.read(Array(bytes.prefix(length)))
            }
        }
        let webp = try Support.demoImage("real_exif_10.webp")
        for length in stride(from: 0, through: min(webp.count, 4096), by: 3) {
            _ = try? MetadataReader.read(Array(webp.prefix(length)))
        }
    }

    @Test func truncatedFilesKeepWhatPrecedesTheCut() throws {
        let bytes = try Support.fixture("ai_a1111_parameters.png")
        let full = try MetadataReader.read(bytes)
        let cut = try MetadataReader.read(Array(bytes.dropLast(20)))
        #expect(cut.pngTextValue("parameters") == full.pngTextValue("parameters"))
        #expect(!cut.warnings.isEmpty)
    }

    @Test func randomBytesBehindEachMagicAreSafe() {
        var generator = TestGenerator(seed: 7)
        let magics: [[UInt8]] = [
            [0xFF, 0xD8, 0xFF], [0x89, 0x50, 0x4E, 0x47, 0x0D, 0x0A, 0x1A, 0x0A], Array("RIFF\0\0\0\0WEBP".utf8),
        ]
        for magic in magics {
            for _ in 0..<300 {
                let length = Int(generator.next() % 2048)
                let noise = (0..<length).map { _ in UInt8(truncatingIfNeeded: generator.next()) }
                _ = try? MetadataReader.read(magic + noise)
            }
        }
        for _ in 0..<300 {
            let noise = (0..<64).map { _ in UInt8(truncatingIfNeeded: generator.next()) }
            _ = try? MetadataReader.read(noise)
        }
    }

    @Test func hugeDeclaredLengthsAreRejected() throws {
        let hugePNG: [UInt8] =
            [0x89, 0x50, 0x4E, 0x47, 0x0D, 0x0A, 0x1A, 0x0A, 0xFF, 0xFF, 0xFF, 0xF0]
            + Array("tEXtkey\0value".utf8)
        let png = try MetadataReader.read(hugePNG)
        #expect(png.pngText.isEmpty)
        #expect(!png.warnings.isEmpty)

        let hugeWebP = Array("RIFF\0\0\0\0WEBPEXIF".utf8) + [0xFF, 0xFF, 0xFF, 0xFF, 0x4D, 0x4D]
        #expect(!(try MetadataReader.read(hugeWebP)).warnings.isEmpty)

        // An IFD declaring 65535 entries and values at offsets far past the end.
        var tiff: [UInt8] = Array("MM".utf8) + [0, 42, 0, 0, 0, 8, 0xFF, 0xFF]
        tiff += [0x01, 0x0F, 0, 2, 0x7F, 0xFF, 0xFF, 0xFF, 0x7F, 0xFF, 0xFF, 0xFF]
        tiff += [0x87, 0x69, 0, 4, 0, 0, 0, 1, 0xFF, 0xFF, 0xFF, 0xFF]
        let jpeg = try MetadataReader.read(Support.jpeg([(0xE1, Array("Exif\0\0".utf8) + tiff)]))
        #expect(jpeg.exif.make == nil)
        #expect(!jpeg.warnings.isEmpty)
    }

    @Test func exifPointerLoopingBackIsReadOnce() throws {
        // The Exif pointer points at IFD0 itself.
        let tiff: [UInt8] =
            Array("II".utf8) + [42, 0, 8, 0, 0, 0, 1, 0]
            + [0x69, 0x87, 4, 0, 1, 0, 0, 0, 8, 0, 0, 0] + [0, 0, 0, 0]
        let metadata = try MetadataReader.read(Support.png([("eXIf", tiff)]))
        #expect(metadata.exif.isEmpty)
    }

    @Test func zlibBombIsCappedAndLaterChunksStillRead() throws {
        let metadata = try MetadataReader.read(Self.metadataFixture("zlib_bomb.png"))
        let comment = try #require(metadata.pngText.first { $0.keyword == "Comment" })
        #expect(!comment.isComplete && comment.text.utf8.count == MetadataLimits.maxInflatedBytes)
        #expect(metadata.warnings.contains { $0.contains("inflates past") })
        #expect(metadata.pngTextValue("Description") == "a small red boat on a lake – überall")
        #expect(metadata.descriptionCandidates.map(\.source) == ["png:Description"], "a cut text is no description")
    }

    @Test func corruptZlibIsAWarningAndTheChunkIsMarkedUnread() throws {
        let corrupt = Array("Comment\0\0".utf8) + [0x78, 0x9C, 1, 2, 3]
        let metadata = try MetadataReader.read(Support.png([("zTXt", corrupt)]))
        #expect(metadata.pngText == [PNGTextChunk(keyword: "Comment", text: "", kind: .zTXt, isComplete: false)])
        #expect(metadata.warnings == ["png: text chunk Comment is not a valid zlib stream"])
    }

    @Test func damagedZlibKeepsTheTextBeforeTheDamage() throws {
        let text = Array("a dog on a beach".utf8)
        let stream = Support.zlibStored(text)
        let cut = Array("Comment\0\0".utf8) + stream.dropLast(6)  // the checksum and the last bytes gone
        let metadata = try MetadataReader.read(Support.png([("zTXt", cut)]))
        let chunk = try #require(metadata.pngText.first)
        #expect(!chunk.isComplete && "a dog on a beach".hasPrefix(chunk.text) && !chunk.text.isEmpty, "\(chunk)")
    }

    @Test func parametersPaddedPastTheLimitAreKeptInPart() throws {
        let end = try MetadataReader.read(Self.metadataFixture("parameters_padded_end.png"))
        let kept = try #require(end.pngText.first { $0.keyword == "parameters" })
        #expect(!kept.isComplete && kept.text.hasPrefix("a lighthouse") && kept.text.contains("Steps: 20"))

        let front = try MetadataReader.read(Self.metadataFixture("parameters_padded_front.png"))
        let spaces = try #require(front.pngText.first { $0.keyword == "parameters" })
        #expect(!spaces.isComplete && !spaces.text.contains("Steps"))

        let spent = try MetadataReader.read(Self.metadataFixture("parameters_after_spent_budget.png"))
        #expect(spent.pngText.count == 5)
        #expect(spent.pngText.last?.keyword == "parameters" && spent.pngText.last?.isComplete == false)
        let inflated = spent.pngText.reduce(0) { $0 + $1.text.utf8.count }
        #expect(inflated <= MetadataLimits.maxInflatedBytesPerFile)
    }

    static func metadataFixture(_ name: String) throws -> [UInt8] {
        try Support.bytes(at: Support.repositoryRoot.appendingPathComponent("Tests/Fixtures/metadata/\(name)"))
    }

    @Test func markerSoupInJPEGTerminates() throws {
        let bytes: [UInt8] = [0xFF, 0xD8] + [UInt8](repeating: 0xFF, count: 10_000)
        _ = try MetadataReader.read(bytes)
        let zeroLength: [UInt8] = [0xFF, 0xD8, 0xFF, 0xE1, 0x00, 0x00, 0xFF, 0xE1, 0x00, 0x01]
        #expect(!(try MetadataReader.read(zeroLength)).warnings.isEmpty)
    }
}

/// SplitMix64, so the noise is the same on every run.
struct TestGenerator {
    var state: UInt64

    init(seed: UInt64) { state = seed }

    mutating func next() -> UInt64 {
        state &+= 0x9E37_79B9_7F4A_7C15
        var value = state
        value = (value ^ (value >> 30)) &* 0xBF58_476D_1CE4_E5B9
        value = (value ^ (value >> 27)) &* 0x94D0_49BB_1331_11EB
        return value ^ (value >> 31)
    }
}
