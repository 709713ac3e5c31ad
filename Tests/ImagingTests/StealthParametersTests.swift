import Foundation
import Testing

@testable import Imaging

/// Generation parameters hidden in pixel low bits: the demo image, fixtures written by
/// `scripts/make_stealth_fixtures.py` (read back there by an independent Python reader), and hostile
/// streams that must leave nothing but a warning.
@Suite("Stealth parameters")
struct StealthParametersTests {
    typealias Support = StealthTestSupport

    @Test func demoImageHidesA1111ParametersInAlpha() throws {
        let bytes = try MetadataTestSupport.demoImage("edge_03_a1111_stealth_alpha.png")
        #expect(try MetadataReader.read(bytes).stealthParameters == nil, "read(_:) decodes no pixels")

        let metadata = try Support.read(bytes)
        let stealth = try #require(metadata.stealthParameters)
        #expect(stealth.channel == .alpha)
        #expect(stealth.isCompressed)
        #expect(stealth.signature == "stealth_pngcomp")
        #expect(stealth.source == "stealth_pnginfo:alpha_compressed")
        #expect(stealth.text.hasPrefix("a circle\nNegative prompt: a square\nSteps: 20, Sampler: Euler, "))
        #expect(stealth.text.hasSuffix("Clip skip: 2, Version: v1.9.4-169-ga30b19dd"))
        #expect(metadata.warnings.isEmpty)
    }

    @Test(arguments: [
        ("rgb_plain.png", StealthParameters.Channel.rgb, false),
        ("rgb_compressed.png", .rgb, true),
        ("alpha_compressed.png", .alpha, true),
        ("alpha_compressed_interlaced.png", .alpha, true),
        ("alpha_plain_tall.png", .alpha, false),
        ("alpha_plain_tall.webp", .alpha, false),
        ("parameters_chunk_and_rgb_plain.png", .rgb, false),
        // Taller than libpng's own default limit of 1,000,000 rows, far under the pixel limit.
        ("alpha_compressed_1x1000001.png", .alpha, true),
        ("rgb_plain_interlaced_odd.png", .rgb, false),
    ])
    func fixtureMatchesThePythonReader(name: String, channel: StealthParameters.Channel, compressed: Bool) throws {
        let expected = try #require(try Support.expectations()[name] ?? nil)
        let metadata = try Support.read(try Support.fixture(name))

        let stealth = try #require(metadata.stealthParameters, "\(metadata.warnings)")
        #expect(stealth.signature == expected.signature)
        #expect(stealth.text == expected.text)
        #expect(stealth.channel == channel)
        #expect(stealth.isCompressed == compressed)
        #expect(metadata.warnings.isEmpty)
    }

    @Test(arguments: [
        (
            "bogus_length.png",
            "stealth_pngcomp stream ignored, a payload of 4294967295 bits is over the 1048576-byte limit"
        ),
        ("truncated_payload.png", "stealth_pnginfo stream ignored, 4480 payload bits declared, 872 in the image"),
        ("gzip_bomb.png", "stealth_rgbcomp stream ignored, the payload inflates past 1048576 bytes"),
        ("invalid_gzip.png", "stealth_pngcomp stream ignored, the payload is not a valid gzip stream"),
    ])
    func hostileStreamLeavesOnlyAWarning(name: String, warning: String) throws {
        #expect(try Support.expectations()[name] == .some(nil), "the Python reader finds nothing either")
        let metadata = try Support.read(try Support.fixture(name))
        #expect(metadata.stealthParameters == nil)
        #expect(metadata.warnings == ["stealth: \(warning)"])
    }

    @Test(arguments: ["random_lsb.png", "smaller_than_signature.png"])
    func noSignatureMeansNothingAndNoWarning(name: String) throws {
        let metadata = try Support.read(try Support.fixture(name))
        #expect(metadata.stealthParameters == nil)
        #expect(metadata.warnings.isEmpty)
    }

    @Test func everyFixtureIsListedInTheExpectations() throws {
        let folder = MetadataTestSupport.repositoryRoot.appendingPathComponent("Tests/Fixtures/stealth")
        let images = try FileManager.default.contentsOfDirectory(atPath: folder.path)
            .filter { $0.hasSuffix(".png") || $0.hasSuffix(".webp") }
        #expect(Set(images) == Set(try Support.expectations().keys))
    }

    @Test func imagesWithoutStealthDataStayQuiet() throws {
        let demo = MetadataTestSupport.repositoryRoot.appendingPathComponent("demo/images")
        let names = try FileManager.default.contentsOfDirectory(atPath: demo.path)
            .filter { $0.hasSuffix(".png") || $0.hasSuffix(".webp") || $0.hasSuffix(".jpg") }
            .filter { !$0.hasPrefix("edge_03") }
        #expect(names.count == 61)
        for name in names {
            let metadata = try Support.read(try MetadataTestSupport.demoImage(name))
            #expect(metadata.stealthParameters == nil, "\(name)")
            #expect(!metadata.warnings.contains { $0.hasPrefix("stealth:") }, "\(name): \(metadata.warnings)")
        }
    }

    @Test func pixelsOverTheLimitAreAWarning() throws {
        let bytes = try Support.fixture("alpha_compressed.png")
        let metadata = try Support.read(bytes, decoder: ImageDecoder(maxPixels: 64 * 63))
        #expect(metadata.stealthParameters == nil)
        #expect(metadata.warnings.count == 1)
        #expect(metadata.warnings.first?.hasPrefix("stealth: pixels not read (image_too_large") == true)
    }

    @Test func everyTruncationIsSafe() throws {
        for name in ["alpha_compressed.png", "alpha_compressed_interlaced.png", "alpha_plain_tall.webp"] {
            let bytes = try Support.fixture(name)
            for length in stride(from: 0, through: bytes.count, by: 97) {
                guard let metadata = try? Support.read(Array(bytes.prefix(length))) else { continue }
                if length < bytes.count - 16 {
                    #expect(metadata.stealthParameters == nil, "\(name) cut at \(length)")
                }
            }
        }
    }

    @Test func flippedBitsInTheImageDataAreSafe() throws {
        let bytes = try Support.fixture("alpha_compressed.png")
        var generator = TestGenerator(seed: 3)
        for _ in 0..<200 {
            var damaged = bytes
            let offset = 40 + Int(generator.next() % UInt64(bytes.count - 52))
            damaged[offset] ^= UInt8(truncatingIfNeeded: generator.next() | 1)
            _ = try? Support.read(damaged)
        }
    }
}
