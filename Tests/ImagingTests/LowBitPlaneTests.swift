import Foundation
import Testing

@testable import Imaging

/// Reading the low bits of PNG and WebP samples as stored, stopping after the top rows when asked.
@Suite("Low-bit plane")
struct LowBitPlaneTests {
    typealias Support = StealthTestSupport

    let decoder = ImageDecoder()

    @Test(arguments: [("alpha_plain_tall.png", 48, 200), ("alpha_plain_tall.webp", 40, 160)])
    func decodingStopsAfterTheTopRowsUnlessAsked(name: String, width: Int, height: Int) throws {
        let bytes = try Support.fixture(name)
        var seen: [Int] = []
        let top = try decoder.lowBitPlane(bytes, firstRows: 120) { plane in
            seen.append(plane.rowsRead)
            return false
        }
        #expect(seen == [120])
        #expect(top.width == width && top.height == height && top.hasAlpha)
        #expect(top.rowsRead == 120 && !top.isComplete)

        let whole = try decoder.lowBitPlane(bytes, firstRows: 120) { _ in true }
        #expect(whole.isComplete)
        #expect(Array(whole.bits.prefix(top.bits.count)) == top.bits)
    }

    @Test func shortImagesAreReadWholeWithoutAsking() throws {
        let plane = try decoder.lowBitPlane(try Support.fixture("rgb_plain.png"), firstRows: 120) { _ in
            Issue.record("a 64-row image has no rest to ask about")
            return true
        }
        #expect(plane.isComplete && !plane.hasAlpha)
        #expect(plane.bits.allSatisfy { $0 & LowBitPlane.Sample.alpha.rawValue != 0 }, "opaque alpha is 255")
    }

    @Test(arguments: ["rgb_plain.png", "rgb_plain_interlaced_odd.png"])
    func colourBitsAgreeWithTheFullDecoder(name: String) throws {
        let bytes = try Support.fixture(name)
        let image = try decoder.decode(bytes)
        let plane = try decoder.lowBitPlane(bytes, firstRows: 1) { _ in true }
        #expect(plane.isComplete && plane.width == image.width && plane.height == image.height)

        for y in 0..<image.height {
            for x in 0..<image.width {
                let pixel = image.pixel(x: x, y: y)
                #expect(plane.bit(.red, x: x, y: y) == (pixel.red & 1 == 1))
                #expect(plane.bit(.green, x: x, y: y) == (pixel.green & 1 == 1))
                #expect(plane.bit(.blue, x: x, y: y) == (pixel.blue & 1 == 1))
            }
        }
    }

    @Test(arguments: ["huge.png", "huge.webp"])
    func declaredSizeOverTheLimitIsRefusedFirst(name: String) throws {
        #expect(throws: ImageDecodingError.self) {
            try decoder.lowBitPlane(try DecodingFixtures.fixture(name), firstRows: 120) { _ in true }
        }
    }

    @Test func jpegAndUnknownBytesAreRefused() throws {
        let jpeg = try DecodingFixtures.fixture("blocks.jpg")
        #expect(throws: ImageDecodingError.self) { try decoder.lowBitPlane(jpeg, firstRows: 1) { _ in true } }
        #expect(throws: ImageDecodingError.self) { try decoder.lowBitPlane([], firstRows: 1) { _ in true } }
    }

    @Test func everyDemoPNGAndWebPDecodes() throws {
        let folder = MetadataTestSupport.repositoryRoot.appendingPathComponent("demo/images")
        let names = try FileManager.default.contentsOfDirectory(atPath: folder.path)
            .filter { $0.hasSuffix(".png") || $0.hasSuffix(".webp") }
        #expect(names.count >= 20)
        for name in names {
            let bytes = try MetadataTestSupport.demoImage(name)
            let image = try decoder.decode(bytes)
            let plane = try decoder.lowBitPlane(bytes, firstRows: 120) { _ in false }
            #expect(plane.width * plane.height == image.width * image.height, "\(name)")
            #expect(plane.rowsRead == min(120, plane.height), "\(name)")
        }
    }
}

/// Keeping only the leftmost columns of a plane, where a column-by-column stream lives.
@Suite("Low-bit plane columns")
struct LowBitPlaneColumnTests {
    typealias Support = StealthTestSupport

    let decoder = ImageDecoder()

    /// The first `columns` columns of a complete plane, row by row.
    func leftColumns(_ plane: LowBitPlane, _ columns: Int) -> [UInt8] {
        (0..<plane.height).flatMap { row in plane.bits[row * plane.width..<row * plane.width + columns] }
    }

    @Test(arguments: ["rgb_plain.png", "rgb_plain_interlaced_odd.png", "alpha_compressed_interlaced.png"])
    func wholeReadsKeepTheColumnsOfTheLeadingPixels(name: String) throws {
        let bytes = try Support.fixture(name)
        let whole = try decoder.lowBitPlane(bytes, firstRows: 1) { _ in true }
        // Five columns and one pixel: six columns are kept.
        let plane = try decoder.lowBitPlane(bytes, firstRows: .max, leadingPixels: whole.height * 5 + 1) { _ in
            Issue.record("a whole read has no rest to ask about")
            return 0
        }
        #expect(plane.width == 6 && plane.height == whole.height && plane.isComplete)
        #expect(plane.bits == leftColumns(whole, 6))
    }

    @Test func theRestOfTheRowsKeepTheColumnsAskedFor() throws {
        let bytes = try Support.fixture("alpha_plain_tall.png")
        let whole = try decoder.lowBitPlane(bytes, firstRows: 1) { _ in true }
        var asked: [Int] = []
        let plane = try decoder.lowBitPlane(bytes, firstRows: 120, leadingPixels: 200 * 10) { top in
            asked.append(top.width)
            #expect(top.rowsRead == 120 && !top.isComplete)
            return 4
        }
        #expect(asked == [10])
        #expect(plane.width == 4 && plane.isComplete)
        #expect(plane.bits == leftColumns(whole, 4))
    }

    @Test func keptColumnsMustFitThePixelLimit() throws {
        let bytes = try Support.fixture("alpha_plain_tall.png")
        let small = ImageDecoder(maxPixels: 200 * 3)
        let plane = try small.lowBitPlane(bytes, firstRows: 120, leadingPixels: .max) { _ in 3 }
        #expect(plane.width == 3 && plane.isComplete)
        #expect(throws: ImageDecodingError(.tooLarge, "4 columns of a 48x200 image exceed the limit of 600 pixels")) {
            try small.lowBitPlane(bytes, firstRows: 120, leadingPixels: .max) { _ in 4 }
        }
    }

    @Test func keepingColumnsDropsTheRestOfEveryRow() {
        var plane = LowBitPlane(width: 3, height: 2, hasAlpha: true)
        plane.append(bits: [1, 2, 3, 4, 5, 6])
        plane.keepColumns(2)
        #expect(plane.width == 2 && plane.bits == [1, 2, 4, 5] && plane.isComplete)
        plane.keepColumns(5)
        #expect(plane.width == 2)
    }
}
