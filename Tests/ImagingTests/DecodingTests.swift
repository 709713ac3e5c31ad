import Imaging
import Testing

/// Decoding each supported format, and refusing everything else with a typed error.
struct DecodingTests {
    let decoder = ImageDecoder()

    @Test(arguments: ["corners.png", "corners.webp"])
    func losslessCornersKeepTheirColours(name: String) throws {
        let image = try decoder.decode(try DecodingFixtures.fixture(name))

        #expect(image.width == 4 && image.height == 3)
        #expect(image.pixel(x: 0, y: 0) == (255, 0, 0))
        #expect(image.pixel(x: 3, y: 0) == (0, 255, 0))
        #expect(image.pixel(x: 0, y: 2) == (0, 0, 255))
        #expect(image.pixel(x: 3, y: 2) == (255, 255, 0))
        #expect(image.pixel(x: 1, y: 1) == (128, 128, 128))
    }

    @Test func jpegBlocksComeOutAsRGB() throws {
        let image = try decoder.decode(try DecodingFixtures.fixture("blocks.jpg"))

        #expect(image.width == 16 && image.height == 16)
        let left = image.pixel(x: 2, y: 8)
        let right = image.pixel(x: 13, y: 8)
        #expect(left.red > 240 && left.green < 16 && left.blue < 16)
        #expect(right.red < 16 && right.green < 16 && right.blue > 240)
    }

    @Test func greyJPEGBecomesThreeEqualChannels() throws {
        let image = try decoder.decode(try DecodingFixtures.fixture("gray.jpg"))

        #expect(image.pixels.count == 8 * 8 * 3)
        let (red, green, blue) = image.pixel(x: 4, y: 4)
        #expect(red == green && green == blue)
        #expect((120...136).contains(red))
    }

    @Test(arguments: ["alpha.png", "alpha.webp"])
    func transparencyIsCompositedOnWhite(name: String) throws {
        let image = try decoder.decode(try DecodingFixtures.fixture(name))

        #expect(image.width == 2 && image.height == 1)
        #expect(image.pixel(x: 0, y: 0) == (255, 255, 255))
        #expect(image.pixel(x: 1, y: 0) == (255, 0, 0))
    }

    @Test(arguments: [
        ("real_exif_01.jpg", ImageDecoder.Format.jpeg), ("ai_01_a1111_png.png", .png),
        ("real_exif_10.webp", .webp), ("edge_03_a1111_stealth_alpha.png", .png),
    ])
    func demoImagesDecode(name: String, format: ImageDecoder.Format) throws {
        let bytes = try DecodingFixtures.demo(name)
        let image = try decoder.decode(bytes)

        #expect(ImageDecoder.format(of: bytes) == format)
        #expect(image.width > 16 && image.height > 16)
        #expect(image.width <= 1024 && image.height <= 1024)
        #expect(image.pixels.count == image.width * image.height * 3)
        #expect(Set(image.pixels.prefix(30_000)).count > 8, "a real photo has more than a few sample values")
    }

    @Test func orientationParameterTurnsTheDecodedImage() throws {
        let image = try decoder.decode(try DecodingFixtures.fixture("corners.png"), exifOrientation: 6)

        #expect(image.width == 3 && image.height == 4)
        #expect(image.pixel(x: 0, y: 0) == (0, 0, 255))
        #expect(image.pixel(x: 2, y: 0) == (255, 0, 0))
    }

    @Test func emptyInputIsRefused() {
        #expect(throws: ImageDecodingError(.empty, "the image is empty (0 bytes)")) {
            try decoder.decode([])
        }
    }

    @Test(arguments: [
        Array("GIF89a\u{01}\u{00}\u{01}\u{00}".utf8), Array("hello, world".utf8), [0x42, 0x4D, 0, 0, 0, 0],
        [0x00], Array("RIFF\u{04}\u{00}\u{00}\u{00}WAVE".utf8),
    ])
    func otherFormatsAreUnsupported(bytes: [UInt8]) {
        #expect(kind { try decoder.decode(bytes) } == .unsupportedFormat)
    }

    @Test(arguments: ["corners.png", "blocks.jpg", "corners.webp"])
    func everyTruncationIsAnError(name: String) throws {
        let bytes = try DecodingFixtures.fixture(name)

        // Cut at every length from just past the longest signature to one byte short of the whole file.
        for length in 12..<bytes.count {
            let failure = kind { try decoder.decode(Array(bytes.prefix(length))) }
            #expect(failure == .truncated || failure == .corrupt, "cut at \(length) of \(bytes.count)")
        }
    }

    @Test func truncatedDemoPhotoReportsTruncation() throws {
        let bytes = try DecodingFixtures.demo("real_exif_01.jpg")
        let failure = kind { try decoder.decode(Array(bytes.prefix(bytes.count / 2))) }

        #expect(failure == .truncated)
    }

    @Test(arguments: ["real_exif_01.jpg", "ai_01_a1111_png.png", "real_exif_10.webp"])
    func garbledBodiesAreErrorsNotCrashes(name: String) throws {
        var bytes = try DecodingFixtures.demo(name)
        var generator = TestGenerator(seed: 7)

        // Keep the signature and first header bytes, then overwrite the rest with noise.
        for index in 40..<bytes.count {
            bytes[index] = UInt8(truncatingIfNeeded: generator.next())
        }
        let failure = kind { try decoder.decode(bytes) }

        #expect(failure != nil)
    }

    @Test func randomBytesAreErrorsNotCrashes() {
        var generator = TestGenerator(seed: 42)
        for length in [1, 2, 3, 16, 100, 4_096] {
            for prefix in [[], [0xFF, 0xD8, 0xFF], [0x89, 0x50, 0x4E, 0x47, 0x0D, 0x0A, 0x1A, 0x0A]] as [[UInt8]] {
                let noise = (0..<length).map { _ in UInt8(truncatingIfNeeded: generator.next()) }
                #expect(kind { try decoder.decode(prefix + noise) } != nil)
            }
        }
    }

    @Test(arguments: ["huge.png", "huge.webp", "huge.jpg"])
    func hugeHeadersAreRefusedBeforeDecoding(name: String) throws {
        // These files hold only headers: had the decoder gone past the size check it would have
        // reported truncation (and tried to allocate tens of gigabytes) instead.
        let failure = #expect(throws: ImageDecodingError.self) {
            try decoder.decode(try DecodingFixtures.fixture(name))
        }

        #expect(failure?.kind == .tooLarge)
        #expect(failure?.message.contains("exceeds the limit of 50000000 pixels") == true)
    }

    @Test func theLimitIsConfigurable() throws {
        let bytes = try DecodingFixtures.fixture("corners.png")

        #expect(kind { try ImageDecoder(maxPixels: 11).decode(bytes) } == .tooLarge)
        #expect(try ImageDecoder(maxPixels: 12).decode(bytes).width == 4)
    }

    /// The kind of decoding error `body` throws, or nil when it succeeds.
    private func kind(_ body: () throws -> RGBImage) -> ImageDecodingError.Kind? {
        do {
            _ = try body()
            return nil
        } catch let error as ImageDecodingError {
            return error.kind
        } catch {
            Issue.record("unexpected error type: \(error)")
            return nil
        }
    }
}
