import Imaging
import Testing

/// EXIF orientation on a synthetic 3x2 image whose six pixels are all different.
struct DecodingOrientationTests {
    /// Stored layout, pixel values are their labels:
    ///     a b c
    ///     d e f
    let stored = RGBImage(width: 3, height: 2, pixels: [1, 2, 3, 4, 5, 6].flatMap { [$0, $0, $0] })

    /// The displayed rows for each orientation, as labels.
    @Test(arguments: [
        (1, [[1, 2, 3], [4, 5, 6]]),
        (2, [[3, 2, 1], [6, 5, 4]]),
        (3, [[6, 5, 4], [3, 2, 1]]),
        (4, [[4, 5, 6], [1, 2, 3]]),
        (5, [[1, 4], [2, 5], [3, 6]]),
        (6, [[4, 1], [5, 2], [6, 3]]),
        (7, [[6, 3], [5, 2], [4, 1]]),
        (8, [[3, 6], [2, 5], [1, 4]]),
    ])
    func orientationPlacesEveryPixel(orientation: Int, rows: [[UInt8]]) {
        let displayed = stored.oriented(exifOrientation: orientation)

        #expect(displayed.height == rows.count)
        #expect(displayed.width == rows[0].count)
        #expect(labels(displayed) == rows)
    }

    @Test(arguments: [0, -1, 9, 65_535])
    func valuesOutsideTheRangeLeaveTheImageAlone(orientation: Int) {
        #expect(stored.oriented(exifOrientation: orientation) == stored)
    }

    @Test func sixThenEightIsTheIdentity() {
        #expect(stored.oriented(exifOrientation: 6).oriented(exifOrientation: 8) == stored)
    }

    private func labels(_ image: RGBImage) -> [[UInt8]] {
        (0..<image.height).map { y in (0..<image.width).map { x in image.pixel(x: x, y: y).red } }
    }
}
