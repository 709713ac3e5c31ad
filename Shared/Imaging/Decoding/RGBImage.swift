/// A decoded picture: 8-bit RGB samples, interleaved, rows top to bottom without padding.
///
/// Alpha is never kept: decoders composite translucent pixels onto white, so a transparent
/// background reads as white paper rather than black.
public struct RGBImage: Sendable, Equatable {
    /// Width in pixels.
    public let width: Int
    /// Height in pixels.
    public let height: Int
    /// `width * height * 3` samples: red, green, blue for each pixel, row by row.
    public var pixels: [UInt8]

    /// Wraps samples that are already laid out as `width * height` RGB triples.
    /// - Precondition: `pixels.count == width * height * 3`.
    public init(width: Int, height: Int, pixels: [UInt8]) {
        precondition(width >= 0 && height >= 0 && pixels.count == width * height * 3, "RGB buffer size mismatch")
        self.width = width
        self.height = height
        self.pixels = pixels
    }

    /// The red, green and blue samples of the pixel at column `x`, row `y` (0-based, from the top left).
    public func pixel(x: Int, y: Int) -> (red: UInt8, green: UInt8, blue: UInt8) {
        let offset = (y * width + x) * 3
        return (pixels[offset], pixels[offset + 1], pixels[offset + 2])
    }
}
