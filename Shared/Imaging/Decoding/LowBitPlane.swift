/// The least-significant bit of every sample of a decoded PNG or WebP: where steganographic writers
/// hide data (see `StealthParameters`). One byte per pixel keeps the red, green, blue and alpha bits;
/// a quarter of the memory RGBA samples would take.
struct LowBitPlane: Sendable, Equatable {
    /// Bit masks of the samples within a pixel's byte.
    enum Sample: UInt8, Sendable {
        case red = 0b1000
        case green = 0b0100
        case blue = 0b0010
        case alpha = 0b0001
    }

    /// Width in pixels.
    let width: Int
    /// Height in pixels.
    let height: Int
    /// Whether the file stores alpha (a PNG `tRNS` chunk counts); without it every alpha bit is 1.
    let hasAlpha: Bool
    /// One byte per pixel of the rows read so far, rows top to bottom, built from `Sample` masks.
    private(set) var bits: [UInt8] = []

    /// Creates a plane with no rows read yet.
    init(width: Int, height: Int, hasAlpha: Bool) {
        self.width = width
        self.height = height
        self.hasAlpha = hasAlpha
    }

    /// How many rows, from the top, have been read.
    var rowsRead: Int { width > 0 ? bits.count / width : 0 }

    /// Whether every row has been read.
    var isComplete: Bool { rowsRead == height }

    /// Appends whole rows of 8-bit RGBA samples (`width * 4` bytes a row).
    mutating func append(rgba samples: UnsafeBufferPointer<UInt8>) {
        let pixels = samples.count / 4
        let start = bits.count
        bits.append(contentsOf: repeatElement(0, count: pixels))
        bits.withUnsafeMutableBufferPointer { target in
            for pixel in 0..<pixels {
                let offset = pixel * 4
                let red = (samples[offset] & 1) << 3
                let green = (samples[offset + 1] & 1) << 2
                let blue = (samples[offset + 2] & 1) << 1
                target[start + pixel] = red | green | blue | (samples[offset + 3] & 1)
            }
        }
    }

    /// Appends whole rows already reduced to one byte a pixel of `Sample` masks.
    mutating func append(bits rows: [UInt8]) {
        bits.append(contentsOf: rows)
    }

    /// Whether the low bit of `sample` is set at column `x`, row `y`; the row must have been read.
    func bit(_ sample: Sample, x: Int, y: Int) -> Bool {
        bits[y * width + x] & sample.rawValue != 0
    }
}

extension ImageDecoder {
    /// The low bits of a PNG's or WebP's samples as stored, without compositing alpha or turning the
    /// image upright. The first `firstRows` rows are decoded first; the rest only when `wantsRest`
    /// returns true for the plane so far, so a caller that needs the top of the image to decide costs
    /// little on images it rejects.
    /// - Throws: `ImageDecodingError` for a JPEG (lossy compression leaves no meaningful low bits), an
    ///   animated WebP, or a file that cannot be decoded or exceeds `maxPixels`.
    func lowBitPlane(
        _ bytes: [UInt8], firstRows: Int, wantsRest: (LowBitPlane) -> Bool
    ) throws(ImageDecodingError) -> LowBitPlane {
        switch Self.format(of: bytes) {
        case .png: return try pngLowBitPlane(bytes, firstRows: firstRows, wantsRest: wantsRest)
        case .webp: return try webpLowBitPlane(bytes, firstRows: firstRows, wantsRest: wantsRest)
        case .jpeg: throw ImageDecodingError(.unsupportedFormat, "JPEG pixels keep no meaningful low bits")
        case nil: throw ImageDecodingError(.unsupportedFormat, "not a PNG or WebP image")
        }
    }
}
