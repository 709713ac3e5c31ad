import Testing

@testable import Imaging

/// Stealth parameters in PNGs over the decoder's pixel limit, such as upscaler output: only the columns
/// a stream takes are kept, so such files are read within a larger bound on decoding work.
@Suite("Stealth parameters in large images")
struct StealthLargeImageTests {
    typealias Support = StealthTestSupport

    static let upscale = "alpha_plain_8000x7000.png"
    static let shortWide = "rgb_plain_4096x16.png"

    /// The columns a stream of `text` takes in an image `height` rows tall: header and payload bits over
    /// the bits of one column.
    static func columns(of text: String, height: Int, bitsPerPixel: Int) -> Int {
        let bits = 120 + 32 + text.utf8.count * 8
        return (bits + height * bitsPerPixel - 1) / (height * bitsPerPixel)
    }

    @Test(arguments: [ImageDecoder.defaultMaxPixels, 56_000_000 / 16])
    func upscaleOverThePixelLimitIsRead(maxPixels: Int) throws {
        #expect(8000 * 7000 > maxPixels, "the fixture is over the decoder's own limit")
        let expected = try #require(try Support.expectations()[Self.upscale] ?? nil)
        let metadata = try Support.read(try Support.fixture(Self.upscale), decoder: ImageDecoder(maxPixels: maxPixels))

        let stealth = try #require(metadata.stealthParameters, "\(metadata.warnings)")
        #expect(stealth.signature == expected.signature)
        #expect(stealth.text == expected.text)
        #expect(stealth.channel == .alpha && !stealth.isCompressed)
        #expect(metadata.warnings.isEmpty)
    }

    @Test func upscaleKeepsOnlyTheColumnsOfItsStream() throws {
        let expected = try #require(try Support.expectations()[Self.upscale] ?? nil)
        let bytes = try Support.fixture(Self.upscale)
        let (kind, plane) = try #require(try MetadataReader.stealthStream(bytes, decoder: ImageDecoder()))

        #expect(kind.signature == "stealth_pnginfo")
        #expect(Self.columns(of: expected.text, height: 7000, bitsPerPixel: 1) == 2, "the stream spills over")
        #expect(plane.width == 2 && plane.height == 7000 && plane.isComplete)
        #expect(plane.bits.count == 2 * 7000, "memory is the stream's columns, not 8000 of them")
    }

    @Test func pixelsPastTheWorkBoundAreAWarning() throws {
        let bytes = try Support.fixture(Self.upscale)
        let metadata = try Support.read(bytes, decoder: ImageDecoder(maxPixels: 56_000_000 / 16 - 1))
        #expect(metadata.stealthParameters == nil)
        #expect(
            metadata.warnings == [
                "stealth: pixels not read (image_too_large: 8000x7000 image exceeds the limit of 55999984 pixels)"
            ])
    }

    @Test func shortWideImageSpreadsItsHeaderOverColumns() throws {
        let expected = try #require(try Support.expectations()[Self.shortWide] ?? nil)
        let bytes = try Support.fixture(Self.shortWide)
        let metadata = try Support.read(bytes)
        let stealth = try #require(metadata.stealthParameters, "\(metadata.warnings)")
        #expect(stealth.signature == expected.signature && stealth.text == expected.text)
        #expect(stealth.channel == .rgb)
        #expect(metadata.warnings.isEmpty)

        // 48 bits a column: the signature alone takes 3 of them.
        let (_, plane) = try #require(try MetadataReader.stealthStream(bytes, decoder: ImageDecoder()))
        let columns = Self.columns(of: expected.text, height: 16, bitsPerPixel: 3)
        #expect(columns == 29)
        #expect(plane.width == columns && plane.height == 16 && plane.isComplete)
    }

    @Test func webpOverThePixelLimitSaysItWasNotLookedAt() throws {
        let bytes = try Support.fixture("alpha_plain_tall.webp")
        let metadata = try Support.read(bytes, decoder: ImageDecoder(maxPixels: 40 * 160 - 1))
        #expect(metadata.stealthParameters == nil)
        let reason = "a WebP is decoded whole and this one is over the pixel limit"
        let error = "image_too_large: 40x160 image exceeds the limit of 6399 pixels"
        #expect(metadata.warnings == ["stealth: parameters not looked for, \(reason) (\(error))"])
    }

    @Test func aWebPsRestIsDecodedCroppedToTheColumnsWanted() throws {
        let bytes = try Support.fixture("alpha_plain_tall.webp")
        let decoder = ImageDecoder()
        let full = try decoder.lowBitPlane(bytes, firstRows: 10) { _ in true }
        let cropped = try decoder.lowBitPlane(bytes, firstRows: 10, leadingPixels: .max) { _ in 3 }
        #expect(full.width == 40 && cropped.width == 3 && cropped.height == full.height && cropped.isComplete)
        for y in 0..<full.height {
            for x in 0..<3 {
                #expect(cropped.bit(.alpha, x: x, y: y) == full.bit(.alpha, x: x, y: y), "(\(x), \(y))")
            }
        }
        #expect(try decoder.lowBitPlane(bytes, firstRows: 10, leadingPixels: .max) { _ in 0 }.rowsRead == 10)
    }

    @Test(arguments: ["alpha_compressed_interlaced.png", "alpha_plain_tall.png", "alpha_plain_tall.webp"])
    func smallImagesKeepTheirStreamsColumnsToo(name: String) throws {
        let expected = try #require(try Support.expectations()[name] ?? nil)
        let bytes = try Support.fixture(name)
        let (kind, plane) = try #require(try MetadataReader.stealthStream(bytes, decoder: ImageDecoder()))
        #expect(kind.signature == expected.signature)

        var payload = Array(expected.text.utf8)
        if kind.isCompressed {
            // The compressed length is not in expected.json: read it back from the stream's header.
            let bits = StealthBits(plane: plane, channel: .alpha)
            payload = Array(repeating: 0, count: Int(bits.u32(from: 120)) / 8)
        }
        let text = String(decoding: payload, as: UTF8.self)
        #expect(plane.width == Self.columns(of: text, height: plane.height, bitsPerPixel: 1))
        #expect(plane.isComplete)
    }
}
